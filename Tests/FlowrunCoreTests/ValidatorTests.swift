import Testing
@testable import FlowrunCore

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("250ms", 0.25), ("1m30s", 90), ("2h", 7200),
        ("1h30m", 5400), ("1.5m", 90), ("10s", 10), ("1h1m1s1ms", 3661.001), ("0s", 0),
        ("5m", 300), ("007s", 7), ("1ms", 0.001), ("123456789ms", 123456.789),
    ])
    func valid(_ text: String, _ seconds: Double) throws {
        let parsed = try #require(DurationParser.seconds(text))
        #expect(abs(parsed - seconds) < 1e-9)
    }

    /// A string needs units: a bare number is written as a YAML number.
    @Test(arguments: ["3", "3.5", "0", "", "1x", "ms", "1m30", "5 s", "-1s", "1.s", "s", "1..5s", "1e3s", "3 ", "½s", "1d", "m1", "5mx", "5sm", "10hh", "5M"])
    func invalid(_ text: String) {
        #expect(DurationParser.seconds(text) == nil)
    }

    /// What the validator makes of durations: numbers are seconds, zero and below
    /// are errors except for `retry-delay`, and huge or NaN values are rejected.
    @Test func validatorDurations() throws {
        let workflow = try #require(load("""
            stages:
              - name: s
                tasks:
                  - sleep: 3.5
                  - sleep: 250ms
                  - run: make
                    timeout: 1m30s
                    retry-delay: 0
            """).workflow)
        let tasks = workflow.stages[0].tasks
        guard case .sleep(let a) = tasks[0].action, case .sleep(let b) = tasks[1].action else { throw Failure("not sleeps") }
        #expect(a == .milliseconds(3500))
        #expect(b == .milliseconds(250))
        #expect(tasks[2].timeout == .seconds(90))
        #expect(tasks[2].retryDelay == .zero)
    }

    @Test(arguments: ["-1", "0", "1e309", ".nan", "1x", "123456789012345678901", "-.inf", "0.0001", "true", "[1]"])
    func invalidTimeouts(_ value: String) {
        let outcome = load("stages:\n  - name: s\n    tasks:\n      - run: make\n        timeout: \(value)\n")
        #expect(errors(outcome).count == 1, "timeout: \(value)")
        #expect(errors(outcome).first?.hasPrefix("5:18 ") == true, "timeout: \(value) → \(errors(outcome))")
    }
}

@Suite struct SpellingTests {
    @Test(arguments: [
        ("taks", ["name", "tasks", "env"], "tasks" as String?),
        ("timout", ["timeout", "retries"], "timeout"),
        ("TASKS", ["tasks"], "tasks"),
        ("rn", ["run", "sleep"], "run"),
        ("stdot", ["stdout", "stderr"], "stdout"),
        ("relase", ["release", "debug"], "release"),
        ("x", ["1", "2"], nil),
        ("2", ["1"], nil),
        ("frobnicate", ["version", "name", "stages"], nil),
        ("anything", [], nil),
    ])
    func closest(_ word: String, _ candidates: [String], _ expected: String?) {
        #expect(Spelling.closest(to: word, among: candidates) == expected)
    }

    @Test func transpositionCountsAsOneEdit() {
        #expect(Spelling.distance(Array("teh".unicodeScalars), Array("the".unicodeScalars)) == 1)
        #expect(Spelling.distance(Array("".unicodeScalars), Array("abc".unicodeScalars)) == 3)
        #expect(Spelling.distance(Array("kitten".unicodeScalars), Array("sitting".unicodeScalars)) == 3)
    }

    @Test func veryLongWordsGetNoHint() {
        #expect(Spelling.closest(to: String(repeating: "a", count: 1000), among: ["a"]) == nil)
    }
}

@Suite struct TemplateParserTests {
    let parser = TemplateParser(stageNames: ["build", "a.b"])
    let start = Location(file: "t", line: 3, column: 10)

    @Test func doubleDollarEscapesAnOpening() {
        let (template, problems) = parser.parse("echo $${{ not.a.template }} ${{ vars.x }}", start: start)
        #expect(problems.isEmpty)
        #expect(template.parts == [
            .literal("echo ${{ not.a.template }} "),
            .reference(.variable("x"), Location(file: "t", line: 3, column: 38)),
        ])
    }

    @Test func expressionsAndTheirColumns() {
        let (template, problems) = parser.parse("${{vars.a}}-${{  env.HOME  }}/${{ stages.build.tasks.t.result }}", start: start)
        #expect(problems.isEmpty)
        #expect(template.parts == [
            .reference(.variable("a"), Location(file: "t", line: 3, column: 10)),
            .literal("-"),
            .reference(.environment("HOME"), Location(file: "t", line: 3, column: 22)),
            .literal("/"),
            .reference(.taskResult(stage: "build", task: "t"), Location(file: "t", line: 3, column: 40)),
        ])
    }

    @Test func stageNamesWithDotsSplitWhereAStageExists() {
        let (template, _) = parser.parse("${{ stages.a.b.tasks.c.tasks.d.result }}", start: start)
        #expect(template.references == [.taskResult(stage: "a.b", task: "c.tasks.d")])
    }

    @Test(arguments: [
        ("${{ vars.x", "3:10 `${{` without a closing `}}`"),
        ("a ${{ }}", "3:12 empty expression `${{ }}`"),
        ("${{ vars. }}", "3:10 malformed expression `vars.`"),
        ("${{ vars.a b }}", "3:10 malformed expression `vars.a b`"),
        ("${{ stages.build.result }}", "3:10 malformed expression `stages.build.result`"),
        ("${{ secrets.X }}", "3:10 unknown expression `secrets.X`; expected vars.NAME, env.NAME, matrix.KEY, stages.STAGE.tasks.TASK.result, stages.STAGE.tasks.TASK.results, stages.STAGE.tasks.TASK.outputs.NAME, stdout, stderr, exit-code, args, workflow.name, stage.name or task.name"),
    ])
    func malformed(_ text: String, _ expected: String) {
        let (_, problems) = parser.parse(text, start: start)
        #expect(problems.map { "\($0.location!) \($0.message.text)" } == [expected])
    }

    @Test func namedExpressions() {
        let (template, _) = parser.parse("${{ stdout }}${{ stderr }}${{ exit-code }}${{ workflow.name }}${{ stage.name }}${{ task.name }}", start: start)
        #expect(template.references == [
            .ownOutput(.stdout), .ownOutput(.stderr), .ownOutput(.exitCode), .workflowName, .stageName, .taskName,
        ])
    }

    @Test func multiLineTextWithoutSourceFallsBackToItsStart() {
        let (template, _) = parser.parse("a\n${{ vars.x }}", start: start)
        #expect(template.parts.last == .reference(.variable("x"), start))
    }

    /// Through the loader, which knows the source: exact in plain, quoted and escaped scalars.
    @Test(arguments: [
        ("      - run: echo ${{ vars.nope }}", 19),
        ("      - run: \"echo ${{ vars.nope }}\"", 20),
        ("      - run: 'echo ${{ vars.nope }}'", 20),
        ("      - run: \"\\t\\u00e9 ${{ vars.nope }}\"", 24),
        ("      - run: 'it''s ${{ vars.nope }}'", 21),
        ("      - \"${{ vars.nope }}\"", 10),
    ])
    func locationsInScalarsOfEveryStyle(_ line: String, _ column: Int) {
        let outcome = load("stages:\n  - name: s\n    tasks:\n\(line)\n")
        #expect(errors(outcome) == ["4:\(column) unknown variable `vars.nope`"])
    }

    @Test func locationsInJSONStringsWithEscapes() {
        let outcome = load(#"{"stages": [["\ud83d\ude00\n${{ vars.nope }}"]]}"#, format: .json)
        #expect(errors(outcome) == ["1:29 unknown variable `vars.nope`"])
    }

    @Test func anAliasedTemplateIsReportedAtBothPlaces() {
        let outcome = load("stages:\n  - name: s\n    tasks:\n      - run: &r echo ${{ vars.nope }}\n      - run: *r\n")
        #expect(errors(outcome) == ["4:22 unknown variable `vars.nope`", "5:14 unknown variable `vars.nope`"])
    }
}

@Suite struct ValidatorTests {
    @Test func aGroupOfKeysIsSkippedOnlyWhenNoneOfItIsThere() throws {
        func keyed(_ text: String) throws -> KeyedEntries {
            let (root, _) = YAMLReader().read(SourceText(path: "t.yaml", bytes: Array(text.utf8)))
            guard case .mapping(let entries)? = root?.value else { throw Failure("not a mapping") }
            return KeyedEntries(entries)
        }
        #expect(try !keyed("name: a\nrun: b\ntimeout: 5m\n").mayHave(any: rareTaskKeysAfterTimeout))
        #expect(try !keyed("name: a\nrun: b\ntimeout: 5m\n").mayHave(any: rareTaskKeysBeforeTimeout))
        for key in rareTaskKeysAfterTimeout.keys {
            #expect(try keyed("run: b\n\(key): x\n").mayHave(any: rareTaskKeysAfterTimeout), "\(key)")
        }
        for key in rareTaskKeysBeforeTimeout.keys {
            #expect(try keyed("\(key): x\nrun: b\n").mayHave(any: rareTaskKeysBeforeTimeout), "\(key)")
        }
    }

    @Test func tasksShareTheDefaultsBoxUntilOneSetsItsOwn() throws {
        let workflow = try #require(load("""
            defaults:
              working-directory: src
              resources: {cpus: 2}
            stages:
              - name: s
                tasks:
                  - run: a
                  - run: b
                  - run: c
                    working-directory: /tmp
                    retry-delay: 2s
            """).workflow)
        let tasks = workflow.stages[0].tasks
        #expect(tasks[0].details === tasks[1].details && tasks[0].details !== Workflow.Task.Details.none)
        #expect(tasks[1].workingDirectory == Template(literal: "src") && tasks[1].retryDelay == .zero)
        #expect(tasks[2].details !== tasks[0].details)
        #expect(tasks[2].workingDirectory == Template(literal: "/tmp") && tasks[2].retryDelay == .seconds(2))
        #expect(tasks[2].resources == tasks[0].resources && tasks[0].resources.cpus == 2)
        // The fields most tasks leave alone are out of line: a task is 112 bytes.
        #expect(MemoryLayout<Workflow.Task>.stride <= 112)
    }

    @Test func defaultsApplyAndTasksOverrideThem() throws {
        let workflow = try #require(load("""
            defaults:
              shell: bash
              timeout: 10m
              retries: 2
              working-directory: src
            stages:
              - name: s
                tasks:
                  - run: make
                  - run: make
                    shell: [zsh, -c]
                    timeout: 5s
                    retries: 0
                    working-directory: /tmp
            """).workflow)
        let (a, b) = (workflow.stages[0].tasks[0], workflow.stages[0].tasks[1])
        #expect(a.shell == ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c"])
        #expect(a.timeout == .seconds(600))
        #expect(a.retries == 2)
        #expect(a.workingDirectory == Template(literal: "src"))
        #expect(b.shell == ["zsh", "-c"])
        #expect(b.timeout == .seconds(5))
        #expect(b.retries == 0)
        #expect(b.workingDirectory == Template(literal: "/tmp"))
    }

    @Test func failFastDefaultsToTrueAndReadsBooleans() throws {
        let workflow = try #require(load("""
            stages:
              - [make]
              - name: all
                fail-fast: false
                tasks: [make]
            """).workflow)
        #expect(workflow.stages.map(\.failFast) == [true, false])
    }

    @Test func resultsOfEarlierStagesResolve() throws {
        let workflow = try #require(load("""
            stages:
              - name: build
                tasks:
                  - name: version
                    run: git describe
              - name: ship
                env:
                  V: ${{ stages.build.tasks.version.result }}
                tasks:
                  - run: echo ${{ stages.build.tasks.version.result }}
                    result: ${{ exit-code }}
            """).workflow)
        #expect(workflow.stages[1].environment.first?.value.references == [.taskResult(stage: "build", task: "version")])
        #expect(workflow.stages[1].tasks[0].result?.references == [.ownOutput(.exitCode)])
    }

    @Test func unusedVariableIsAWarningOnly() throws {
        let outcome = load("vars:\n  x: 1\nstages: [[make]]\n")
        #expect(outcome.workflow != nil)
        #expect(outcome.diagnostics.map(\.severity) == [.warning])
        #expect(outcome.diagnostics.first?.message == .unusedVariable("x"))
    }

    @Test func secretsMayNameVarsAndEnvAtEveryLevel() {
        let outcome = load("""
            vars: {PASS: x}
            secrets: [PASS, T, S]
            stages:
              - name: s
                env: {S: 1}
                tasks:
                  - run: echo ${{ vars.PASS }}
                    env: {T: 2}
            """)
        #expect(errors(outcome).isEmpty)
    }

    @Test func nameLengthIsCapped() {
        let long = String(repeating: "a", count: Validator.maxNameLength + 1)
        #expect(errors(load("stages:\n  - name: \(long)\n    tasks: [make]\n")) == ["2:11 stage name is longer than 256 characters"])
    }

    @Test func controlCharactersInNamesAreEscapedInMessages() {
        let outcome = load("stages:\n  - name: \"a\\e[2Jb\\u202E\"\n    tasks: [make]\n")
        let message = errors(outcome).first ?? ""
        #expect(message.contains("a\\u{1B}[2Jb\\u{202E}"))
        #expect(!message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }
}

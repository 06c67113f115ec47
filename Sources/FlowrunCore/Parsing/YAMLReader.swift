import CYAML

/// Reads YAML through libyaml's event API into located nodes.
///
/// libyaml only tokenizes and parses; everything that decides cost (aliases,
/// depth, sizes) and meaning (YAML 1.2 core scalars, duplicate keys) is
/// flowrun's, in `TreeBuilder` and `Scalar`.
public struct YAMLReader: Sendable {
    public var limits: ReaderLimits

    public init(limits: ReaderLimits = ReaderLimits()) {
        self.limits = limits
    }

    /// Parses one YAML document. Returns the root (nil after a fatal error) and
    /// every diagnostic found.
    public func read(_ source: SourceText) -> (root: Node?, diagnostics: [Diagnostic]) {
        var builder = TreeBuilder(limits: limits, source: source)
        do {
            try parse(source, into: &builder)
        } catch {
            return (nil, builder.diagnostics + [error.diagnostic])
        }
        guard let root = builder.root else {
            return (nil, builder.diagnostics + [.error(.fileEmpty, at: SourceLocation(file: source.path, line: 1, column: 1))])
        }
        return (root, builder.diagnostics)
    }

    private func parse(_ source: SourceText, into builder: inout TreeBuilder) throws(TreeBuilder.Fatal) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw TreeBuilder.Fatal(diagnostic: .error(.fileUnreadable(reason: "out of memory"), at: nil))
        }
        defer { yaml_parser_delete(&parser) }
        var documents = 0
        var offsets = ByteOffsets(bytes: source.bytes)
        // The file's location once: each event's is this one moved, no name looked up.
        let origin = SourceLocation(file: source.path, line: 1, column: 1)
        try source.bytes.withUnsafeBufferPointer { (buffer) throws(TreeBuilder.Fatal) in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw TreeBuilder.Fatal(diagnostic: syntaxError(parser, source))
                }
                defer { yaml_event_delete(&event) }
                do throws(TreeBuilder.Fatal) {
                    try handle(event, origin: origin, offsets: &offsets, documents: &documents, builder: &builder)
                } catch {
                    // A key that is not a string is often libyaml's empty value just
                    // before it gives up on the text (`?` then a bad indentation): when
                    // the rest of the file is not YAML, that is the error to report.
                    guard case .nonStringKey = error.diagnostic.message else { throw error }
                    yaml_event_delete(&event)
                    event = yaml_event_t()
                    while yaml_parser_parse(&parser, &event) == 1 {
                        let ended = event.type == YAML_STREAM_END_EVENT
                        yaml_event_delete(&event)
                        event = yaml_event_t()
                        if ended { throw error }
                    }
                    throw TreeBuilder.Fatal(diagnostic: syntaxError(parser, source))
                }
                if event.type == YAML_STREAM_END_EVENT { return }
            }
        }
    }

    /// Hands one event to the builder.
    private func handle(
        _ event: yaml_event_t, origin: SourceLocation, offsets: inout ByteOffsets, documents: inout Int,
        builder: inout TreeBuilder
    ) throws(TreeBuilder.Fatal) {
        let location = origin.moved(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 { throw TreeBuilder.Fatal(diagnostic: .error(.multipleDocuments, at: location)) }
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            try rejectTag(data.tag, at: location)
            let style: Scalar.Style = switch data.style {
            case YAML_PLAIN_SCALAR_STYLE: .plain
            case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: .block
            default: .quoted
            }
            let range = offsets.byteOffset(ofCharacter: Int(event.start_mark.index))
                ..< offsets.byteOffset(ofCharacter: Int(event.end_mark.index))
            let text = Self.text(data.value, count: data.length, style: style, range: range, in: offsets.bytes)
            try builder.scalar(text, style: style, sourceRange: range, at: location, anchor: optionalString(data.anchor))
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try rejectTag(data.tag, at: location)
            try builder.beginSequence(at: location, anchor: optionalString(data.anchor))
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try rejectTag(data.tag, at: location)
            try builder.beginMapping(at: location, anchor: optionalString(data.anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try builder.end()
        case YAML_ALIAS_EVENT:
            try builder.alias(optionalString(event.data.alias.anchor) ?? "", at: location)
        default:
            break
        }
    }

    /// A scalar's text as a range of the source when libyaml's value is the
    /// written text (a plain scalar, or a quoted one without escapes or folding).
    private static func text(
        _ value: UnsafeMutablePointer<yaml_char_t>?, count: Int, style: Scalar.Style, range: Range<Int>, in bytes: [UInt8]
    ) -> TreeBuilder.Text {
        guard let value else { return .decoded("") }
        let written: Range<Int>? = switch style {
        case .plain: range
        case .quoted: range.count >= 2 ? range.lowerBound + 1..<range.upperBound - 1 : nil
        case .block: nil
        }
        if let written, written.count == count, written.upperBound <= bytes.count {
            let same = bytes.withUnsafeBufferPointer { source in
                count == 0 || memcmp(source.baseAddress! + written.lowerBound, value, count) == 0
            }
            if same { return .written(written) }
        }
        return .decoded(String(decoding: UnsafeBufferPointer(start: value, count: count), as: UTF8.self))
    }

    private func rejectTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, at location: SourceLocation) throws(TreeBuilder.Fatal) {
        if let tag = optionalString(tag) {
            // libyaml hands over the resolved tag; show it as it was written.
            let standard = "tag:yaml.org,2002:"
            let written = tag.hasPrefix(standard) ? "!!" + tag.dropFirst(standard.count) : tag
            throw TreeBuilder.Fatal(diagnostic: .error(.tagNotAllowed(tag: written), at: location))
        }
    }

    private func syntaxError(_ parser: yaml_parser_t, _ source: SourceText) -> Diagnostic {
        // Reader errors (a raw control character) carry a byte offset and the
        // character, not a mark: the mark would say 1:1.
        if parser.error == YAML_READER_ERROR {
            let location = source.location(ofByte: Int(parser.problem_offset))
            if parser.problem_value >= 0 {
                return .error(.controlCharacter(code: UInt32(parser.problem_value)), at: location)
            }
            let problem = parser.problem.map { String(cString: $0) } ?? "unreadable input"
            return .error(.yamlSyntax(problem: problem, context: nil), at: location)
        }
        let mark = parser.problem_mark
        let location = SourceLocation(file: source.path, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        var offsets = ByteOffsets(bytes: source.bytes)
        let offset = offsets.byteOffset(ofCharacter: Int(mark.index))
        let lineStart = source.bytes[..<min(offset, source.bytes.count)].lastIndex { $0 == 0x0A || $0 == 0x0D }.map { $0 + 1 } ?? 0
        let before = source.bytes[lineStart..<min(offset, source.bytes.count)]
        // libyaml's message for a tab in indentation says only that the
        // character "cannot start any token"; name the real cause, but only
        // when the tab is in the line's indentation, not separation or content.
        if offset < source.bytes.count, source.bytes[offset] == 0x09, before.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            return .error(.tabIndentation, at: location)
        }
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        // `run: echo FAIL: parse`: the second `: ` on a line ends a plain scalar.
        if problem == "mapping values are not allowed in this context", parser.context == nil,
           before.indices.contains(where: { before[$0] == UInt8(ascii: ":") && $0 + 1 < offset
               && (source.bytes[$0 + 1] == 0x20 || source.bytes[$0 + 1] == 0x09) }) {
            return .error(.colonInPlainScalar, at: location)
        }
        let context = parser.context.map { String(cString: $0) }
        // An unclosed quote or bracket is found only at the end of the file;
        // point also at where the unclosed thing started.
        var notes: [Diagnostic.Note] = []
        let contextMark = parser.context_mark
        if let context, contextMark.index != mark.index || contextMark.line != mark.line {
            let what = context.replacing("while scanning ", with: "").replacing("while parsing ", with: "")
            notes.append(.init(
                location: SourceLocation(file: source.path, line: Int(contextMark.line) + 1, column: Int(contextMark.column) + 1),
                message: .startsHere(what)))
        }
        return .error(.yamlSyntax(problem: problem, context: context), at: location, notes: notes)
    }
}

private func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

/// Turns libyaml's mark indexes, which count characters, into byte offsets.
///
/// Forward-only: marks are asked for in increasing order while parsing, so
/// the cost over a whole file is linear. Asking for an earlier mark restarts.
struct ByteOffsets {
    let bytes: [UInt8]
    /// In an ASCII file a character is a byte: no walk at all.
    private let isASCII: Bool
    private var character = 0
    private var byte = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.isASCII = Self.isASCII(bytes)
    }

    mutating func byteOffset(ofCharacter index: Int) -> Int {
        if isASCII { return min(max(index, 0), bytes.count) }
        if index < character { (character, byte) = (0, 0) }
        while character < index, byte < bytes.count {
            byte += 1
            while byte < bytes.count, bytes[byte] & 0xC0 == 0x80 { byte += 1 }
            character += 1
        }
        return byte
    }

    /// Whether no byte has its high bit set, eight bytes at a time.
    private static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var i = 0
            var seen: UInt64 = 0
            while i + 8 <= raw.count {
                seen |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < raw.count {
                seen |= UInt64(raw[i])
                i += 1
            }
            return seen & 0x8080_8080_8080_8080 == 0
        }
    }
}

#!/usr/bin/env python3
# Issue 12's process-core comparison, interleaved in one session so ratios are
# fair on a loaded machine: B2 (1,000 x /bin/true at -j2/8/64 against make -j
# and xargs) and B4 (1,000 concurrent sleep 1 against xargs -P1000), for the
# spawn methods (clone/vfork, posix_spawn) with and without direct exec.
# CPU per task = (user + system of flowrun and its children) / 1,000, in ms.
# Usage: FLOWRUN=.build/release/flowrun [FLOWRUN_BEFORE=old/flowrun] scripts/bench/process-core.py [RUNS]
import subprocess, statistics, sys, os, time, tempfile
OLD=os.environ.get('FLOWRUN_BEFORE', ''); NEW=os.environ.get('FLOWRUN', '.build/release/flowrun')
B=tempfile.mkdtemp(prefix='flowrun-core-bench-')
def run(cmd, env=None, shell=False):
    e=dict(os.environ); e.update(env or {})
    t=time.monotonic()
    r=os.wait4(subprocess.Popen(cmd, shell=shell, env=e, cwd=B, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid, 0)
    wall=time.monotonic()-t
    ru=r[2]; return wall, ru.ru_utime+ru.ru_stime, os.waitstatus_to_exitcode(r[1])
n=1000
open(os.path.join(B,'true.yaml'),'w').write("stages:\n  - name: s\n    tasks:\n" + "      - /bin/true\n" * n)
open(os.path.join(B,'sleep.yaml'),'w').write("stages:\n  - name: s\n    tasks:\n" + "      - sleep 1\n" * n)
open(os.path.join(B,'Makefile'),'w').write("all: " + " ".join(f"t{i}" for i in range(n)) + "\n" + "".join(f"t{i}:\n\t@/bin/true\n" for i in range(n)) + ".PHONY: all " + " ".join(f"t{i}" for i in range(n)) + "\n")
NEW=os.path.abspath(NEW)
runs=int(sys.argv[1]) if len(sys.argv)>1 else 3
variants=lambda j: [
 ('flowrun before', [OLD,'run','true.yaml','--jobs',str(j),'--output','quiet'], {}),
 ('flowrun clone+direct', [NEW,'run','true.yaml','--jobs',str(j),'--output','quiet'], {}),
 ('flowrun clone, sh -c', [NEW,'run','true.yaml','--jobs',str(j),'--output','quiet'], {'FLOWRUN_DIRECT_EXEC':'0'}),
 ('flowrun posix_spawn+direct', [NEW,'run','true.yaml','--jobs',str(j),'--output','quiet'], {'FLOWRUN_SPAWN':'posix_spawn'}),
 ('flowrun posix_spawn, sh -c', [NEW,'run','true.yaml','--jobs',str(j),'--output','quiet'], {'FLOWRUN_SPAWN':'posix_spawn','FLOWRUN_DIRECT_EXEC':'0'}),
 ('make -j', ['make','-s','-f','Makefile',f'-j{j}'], {}),
 ('xargs -P sh -c', f'seq 1000 | xargs -P {j} -n 1 sh -c /bin/true', {}),
]
for j in (2,8,64):
    res={}
    for _ in range(runs):
        for name,cmd,env in variants(j):
            if name == 'flowrun before' and not OLD: continue
            res.setdefault(name,[]).append(run(cmd,env,shell=isinstance(cmd,str)))
    mk=statistics.median(w for w,_,_ in res['make -j'])
    for name,v in res.items():
        w=statistics.median(x[0] for x in v); c=statistics.median(x[1] for x in v)
        print(f"B2 -j{j:<3} {name:<28} wall {w:6.3f} s  {w/mk:5.2f}x make  cpu/task {c:.3f} ms  exits {[x[2] for x in v]}", flush=True)
res={}
sv=[('flowrun before',[OLD,'run','sleep.yaml','--output','quiet'],{}),
    ('flowrun clone+direct',[NEW,'run','sleep.yaml','--output','quiet'],{}),
    ('flowrun clone, sh -c',[NEW,'run','sleep.yaml','--output','quiet'],{'FLOWRUN_DIRECT_EXEC':'0'}),
    ('flowrun posix_spawn+direct',[NEW,'run','sleep.yaml','--output','quiet'],{'FLOWRUN_SPAWN':'posix_spawn'}),
    ('flowrun ulimit -Sn 256',f'ulimit -Sn 256; exec {NEW} run sleep.yaml --output quiet',{}),
    ('xargs -P1000',"seq 1000 | xargs -P 1000 -n 1 sh -c 'sleep 1'",{})]
for _ in range(runs):
    for name,cmd,env in sv:
        if name == 'flowrun before' and not OLD: continue
        res.setdefault(name,[]).append(run(cmd,env,shell=isinstance(cmd,str)))
xa=statistics.median(w for w,_,_ in res['xargs -P1000'])
for name,v in res.items():
    w=statistics.median(x[0] for x in v); c=statistics.median(x[1] for x in v)
    print(f"B4 {name:<28} wall {w:6.3f} s  {w/xa:5.2f}x xargs  cpu/task {c:.3f} ms  exits {[x[2] for x in v]}", flush=True)

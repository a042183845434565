#!/usr/bin/env python3
"""tests/recipes/run-ci.py SERVICE YAML WORKDIR [facts]: a CI file of docs/ci.md, run here as
its service would run it (issue 11, item 7). SERVICE is github or gitlab.

  facts  print what the file declares, one "key=value" line each, and exit (the tests compare
         them with what the steps do), after checking that it is valid YAML of the expected shape.
  (none) run the job's shell steps in WORKDIR, in order, with its environment variables:
         github: each `run:` step as `bash -e` (the service's default shell); after a failed step
           only steps whose `if:` has always() or !cancelled() run; `uses:` steps are not run
           (they are GitHub's own actions), nor the step named "Install memaudit" (network,
           root); one "step NAME: status N" or "step NAME: skipped (why)" line each;
         gitlab: the `script:` lines as one bash script with `set -eo pipefail`, as GitLab's
           runner does; `before_script:` (the install) is not run.
         Exits with the job's status: 0 passed, 1 failed.
Exit status 2: the file is not valid YAML or lacks what a job of that service needs.
"""
import os
import subprocess
import sys

import yaml


def die(msg):
    print("run-ci.py: " + msg, file=sys.stderr)
    sys.exit(2)


def one_job(jobs, where):
    if not isinstance(jobs, dict) or len(jobs) != 1:
        die(f"{where}: want exactly one job, got {jobs!r:.200}")
    name, job = next(iter(jobs.items()))
    if not isinstance(job, dict):
        die(f"{where}: job {name} is not a mapping")
    return name, job


def strings(env):
    return {str(k): str(v) for k, v in (env or {}).items()}


def github(doc, workdir, facts):
    # PyYAML reads the key `on` as the boolean True (YAML 1.1); GitHub reads it as "on".
    if "on" not in doc and True not in doc:
        die("no 'on:' trigger")
    name, job = one_job(doc.get("jobs"), "jobs")
    steps = job.get("steps")
    if not isinstance(steps, list) or not steps:
        die("no steps")
    if facts:
        print(f"job={name}")
        print(f"runs-on={job.get('runs-on')}")
        perms = job.get("permissions") or {}
        print(f"security-events={perms.get('security-events')}")
        print(f"MEMAUDIT_OPTS={strings(job.get('env')).get('MEMAUDIT_OPTS')}")
        for step in steps:
            if not isinstance(step, dict) or ("run" in step) == ("uses" in step):
                die(f"a step needs one of run: and uses:: {step!r:.200}")
            if "uses" in step:
                print(f"uses={step['uses']}")
                with_ = step.get("with") or {}
                if "sarif_file" in with_:
                    print(f"sarif_file={with_['sarif_file']}")
                    print(f"sarif_if={step.get('if')}")
        return 0
    env = dict(os.environ)
    env.update(strings(job.get("env")))
    failed = False
    for step in steps:
        label = step.get("name") or step.get("uses") or step.get("run", "").split("\n")[0]
        if "uses" in step:
            print(f"step {label}: skipped (an action, not run here)")
            continue
        if step.get("name") == "Install memaudit":
            print(f"step {label}: skipped (installs memaudit: network and root)")
            continue
        cond = str(step.get("if", ""))
        if failed and "always()" not in cond and "!cancelled()" not in cond and "failure()" not in cond:
            print(f"step {label}: skipped (an earlier step failed)")
            continue
        senv = dict(env)
        senv.update(strings(step.get("env")))
        sys.stdout.flush()
        st = subprocess.call(["bash", "--noprofile", "--norc", "-e", "-c", step["run"]],
                             cwd=workdir, env=senv, stdin=subprocess.DEVNULL)
        print(f"step {label}: status {st}")
        failed = failed or st != 0
    return 1 if failed else 0


def gitlab(doc, workdir, facts):
    name, job = one_job({k: v for k, v in doc.items() if not str(k).startswith(".")
                         and k not in ("stages", "variables", "default", "include", "workflow")},
                        "jobs")
    script = job.get("script")
    if not isinstance(script, list) or not all(isinstance(s, str) for s in script):
        die("script: is not a list of strings")
    if facts:
        print(f"job={name}")
        print(f"image={job.get('image')}")
        print(f"MEMAUDIT_OPTS={strings(job.get('variables')).get('MEMAUDIT_OPTS')}")
        art = job.get("artifacts") or {}
        print(f"artifacts_when={art.get('when')}")
        print(f"codequality={(art.get('reports') or {}).get('codequality')}")
        for p in art.get("paths") or []:
            print(f"artifact={p}")
        return 0
    env = dict(os.environ)
    env.update(strings(doc.get("variables")))
    env.update(strings(job.get("variables")))
    print(f"job {name}: before_script skipped (installs memaudit: network and root)")
    sys.stdout.flush()
    st = subprocess.call(["bash", "--noprofile", "--norc", "-c",
                          "set -eo pipefail\n" + "\n".join(script)], cwd=workdir, env=env,
                          stdin=subprocess.DEVNULL)
    print(f"job {name}: script status {st}")
    return 0 if st == 0 else 1


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in ("github", "gitlab"):
        die("usage: run-ci.py github|gitlab YAML WORKDIR [facts]")
    facts = len(sys.argv) == 5 and sys.argv[4] == "facts"
    try:
        with open(sys.argv[2]) as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        die(f"{sys.argv[2]}: {e}")
    if not isinstance(doc, dict):
        die(f"{sys.argv[2]}: not a mapping")
    run = github if sys.argv[1] == "github" else gitlab
    sys.exit(run(doc, sys.argv[3], facts))


main()

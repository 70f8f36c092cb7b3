"""Target 4: the API is listening within 1 s of starting, and stays small (RSS after the load test
is in bench/load_test.py). Run: .venv/bin/python bench/startup_bench.py [--runs 9]"""

import argparse
import json
import subprocess
import time

from common import PYTHON, ROOT, median, rss_mb, save, start_api, start_fake_upstream


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    fake, upstream = start_fake_upstream()
    starts, rss = [], []
    try:
        for _ in range(args.runs):
            process, _, seconds = start_api(upstream, SAMPLE_INTERVAL_SECONDS="300")
            starts.append(seconds)
            time.sleep(0.3)
            rss.append(rss_mb(process.pid))
            process.terminate()
            process.wait()
    finally:
        fake.terminate()
    interpreter = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", "pass"], cwd=ROOT, check=True)
        interpreter.append(time.perf_counter() - started)
    result = {
        "runs": args.runs,
        "start_to_listening_ms": round(median(starts) * 1000),
        "python_interpreter_alone_ms": round(median(interpreter) * 1000),
        "rss_idle_mb": round(median(rss), 1),
    }
    save("startup", result)
    print(json.dumps(result, indent=2))
    print(f"listening {result['start_to_listening_ms']} ms after exec (target < 1000); idle RSS {result['rss_idle_mb']} MB")
    raise SystemExit(0 if result["start_to_listening_ms"] < 1000 else 1)


if __name__ == "__main__":
    main()

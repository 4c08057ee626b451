"""Kernel start-up and round-trip times for make bench (run with /usr/bin/python3; prints one JSON line).

argv: kernel name, start-up runs, warm round trips.
"""
import json
import statistics
import sys
import time

from jupyter_client import KernelManager


def until_reply(kc, msg_id, timeout=120):
    deadline = time.time() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(0.01, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def main():
    name, runs, trips = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    starts, warm = [], []
    for run in range(runs):
        km = KernelManager(kernel_name=name)
        t0 = time.time()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        reply = until_reply(kc, kc.execute("1 + 1"))
        starts.append(time.time() - t0)
        assert reply["content"]["status"] == "ok", reply
        if run == runs - 1:
            for i in range(trips + 5):
                t = time.time()
                until_reply(kc, kc.execute("%d + 1" % i))
                if i >= 5:
                    warm.append(time.time() - t)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps({"start": starts, "warm": warm, "start_median": statistics.median(starts),
                      "warm_median": statistics.median(warm), "warm_p90": sorted(warm)[int(0.9 * len(warm))]}))


if __name__ == "__main__":
    main()

"""Drives a real Jupyter kernel for the Java tests, one JSON command per stdin line, one JSON answer per stdout line.

Run with Debian's /usr/bin/python3 (it has jupyter_client). The kernel is found by name in the kernelspec path
(JUPYTER_DATA_DIR / JUPYTER_PATH from the environment). The kernel's own stdout and stderr go to the file named by
KERNEL_LOG, so a test can check that the kernel log holds no SLF4J noise.

Commands (field "op"):
  execute      code, timeout=60, interrupt_on=message type (interrupts when the cell's first such output arrives:
               an event, never a delay), stdin=[answers]
  complete     code, cursor (default: end)
  inspect      code, cursor (default: end)
  is_complete  code
  history      any history_request fields
  kernel_info
  bad_signature code   (an execute_request signed with a wrong key)
  restart
  kernel_pid
  alive
  shutdown
"""
import json
import os
import sys
import time
from queue import Empty

from jupyter_client import KernelManager
from jupyter_client.session import Session


def outputs_of(kc, msg_id, timeout, interrupt_on=None, stdin=None, km=None):
    """Collects the iopub messages of one request until it goes idle; interrupts it when told to."""
    start = time.time()
    outputs = []
    interrupted = False
    answers = list(stdin or [])
    deadline = start + timeout
    while True:
        if answers:
            try:
                req = kc.get_stdin_msg(timeout=0.01)
                if req["msg_type"] == "input_request":
                    kc.input(answers.pop(0))
            except Empty:
                pass
        if time.time() > deadline:
            raise TimeoutError("no idle status within %ss" % timeout)
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "status":
            if content["execution_state"] == "idle":
                break
            continue
        if kind == "execute_input":
            continue
        out = {"type": kind}
        if kind == "stream":
            out.update(name=content["name"], text=content["text"])
        elif kind == "error":
            out.update(ename=content["ename"], evalue=content["evalue"], traceback=content["traceback"])
        elif kind in ("execute_result", "display_data", "update_display_data"):
            out.update(data=content["data"], display_id=content.get("transient", {}).get("display_id"))
        outputs.append(out)
        if not interrupted and interrupt_on is not None and kind == interrupt_on:
            km.interrupt_kernel()
            interrupted = True
    return outputs, time.time() - start


def shell_reply(kc, msg_id, timeout):
    deadline = time.time() + timeout
    while True:
        left = deadline - time.time()
        if left <= 0:
            raise TimeoutError("no shell reply")
        reply = kc.get_shell_msg(timeout=left)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def main():
    name = sys.argv[1]
    log = open(os.environ.get("KERNEL_LOG", os.devnull), "ab")
    km = KernelManager(kernel_name=name)
    t0 = time.time()
    km.start_kernel(stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=90)
    print(json.dumps({"ready": True, "seconds": time.time() - t0}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        op = cmd["op"]
        answer = {}
        try:
            if op == "execute":
                timeout = cmd.get("timeout", 60)
                msg_id = kc.execute(cmd["code"], allow_stdin=bool(cmd.get("stdin")))
                outs, secs = outputs_of(kc, msg_id, timeout, cmd.get("interrupt_on"), cmd.get("stdin"), km)
                reply = shell_reply(kc, msg_id, timeout)
                answer = {"status": reply["content"]["status"], "outputs": outs, "seconds": secs,
                          "execution_count": reply["content"].get("execution_count")}
            elif op in ("complete", "inspect"):
                code = cmd["code"]
                cursor = cmd.get("cursor", len(code))
                msg_id = kc.complete(code, cursor) if op == "complete" else kc.inspect(code, cursor)
                answer = shell_reply(kc, msg_id, 30)["content"]
            elif op == "is_complete":
                answer = shell_reply(kc, kc.is_complete(cmd["code"]), 30)["content"]
            elif op == "history":
                fields = {k: v for k, v in cmd.items() if k != "op"}
                answer = shell_reply(kc, kc.history(**fields), 30)["content"]
            elif op == "kernel_info":
                answer = shell_reply(kc, kc.kernel_info(), 30)["content"]
            elif op == "bad_signature":
                # A second client socket on the shell port, sending an execute_request signed with another key,
                # then a correctly signed kernel_info_request. The kernel handles one socket's messages in order
                # and publishes on one iopub socket, so once the kernel_info reply and its idle status are here,
                # anything the forged message caused would have arrived before them: no waiting on a clock.
                import zmq
                info = km.get_connection_info()
                sock = zmq.Context.instance().socket(zmq.DEALER)
                sock.linger = 0
                sock.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
                bad = Session(key=b"not-the-kernel-key", username=kc.session.username)
                msg = bad.msg("execute_request", {"code": cmd["code"], "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False,
                                                  "stop_on_error": True})
                bad.send(sock, msg)
                probe = kc.session.msg("kernel_info_request", {})
                kc.session.send(sock, probe)
                forged, probe_id = msg["header"]["msg_id"], probe["header"]["msg_id"]
                seen = []
                replied = idle = False
                deadline = time.time() + 60  # only against a hung kernel
                while not (replied and idle):
                    if time.time() > deadline:
                        raise TimeoutError("no kernel_info reply and idle status within 60 s")
                    if sock.poll(50):
                        _, frames = kc.session.feed_identities(sock.recv_multipart())
                        parent = kc.session.deserialize(frames)["parent_header"].get("msg_id")
                        if parent == probe_id:
                            replied = True
                        else:
                            seen.append("shell reply")
                    try:
                        m = kc.get_iopub_msg(timeout=0.05)
                    except Empty:
                        continue
                    parent = m["parent_header"].get("msg_id")
                    if parent == forged:
                        seen.append(m["msg_type"])
                    elif parent == probe_id and m["msg_type"] == "status" \
                            and m["content"]["execution_state"] == "idle":
                        idle = True
                sock.close()
                answer = {"answered": seen}
            elif op == "restart":
                t = time.time()
                km.restart_kernel(now=False)
                kc.wait_for_ready(timeout=90)
                answer = {"seconds": time.time() - t}
            elif op == "kernel_pid":
                prov = getattr(km, "provisioner", None)
                pid = getattr(prov, "pid", None) if prov is not None else None
                if pid is None:
                    pid = km.kernel.pid
                answer = {"pid": pid}
            elif op == "alive":
                answer = {"alive": km.is_alive()}
            elif op == "shutdown":
                kc.stop_channels()
                km.shutdown_kernel(now=False)
                answer = {"alive": km.is_alive()}
                print(json.dumps(answer), flush=True)
                return
            else:
                answer = {"driver_error": "unknown op " + op}
        except Exception as e:  # report, keep the session going
            answer = {"driver_error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(answer), flush=True)
    if km.is_alive():
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()

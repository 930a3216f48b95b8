"""An interrupt stops a long `train` at the next batch and keeps the session; a restart gives a
fresh session in a new process."""
import os
import re
import select
import signal
import subprocess
import sys
import time
import unittest

import zmq
from jupyter_client.manager import start_new_kernel

import facet_kernel_env

DATA = """let faces = dataset("synthetic", n: 200, seed: 3, needs: ["emotion"]) | split(0.8, 0.1, 0.1) | gcn
net small { input 48x48x1
  conv 4 5x5 relu
  maxpool 2x2 stride 2
  dense 16 relu
  softmax 7 }
let keep = 41"""


def run_cell(kc, code, timeout=120):
    """Executes code; returns (reply content, iopub messages of this request up to idle)."""
    msg_id = kc.execute(code)
    reply = shell_reply(kc, msg_id, timeout)
    return reply["content"], drain(kc, msg_id)


def shell_reply(kc, msg_id, timeout):
    """The reply to msg_id (a kernel_info reply left over from start-up is skipped)."""
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def drain(kc, msg_id, timeout=30):
    messages = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
        messages.append(msg)


def interrupt_and_wait(kc, timeout=30):
    """Sends an interrupt_request on the control channel and returns its reply (the event that
    says the kernel has handled it)."""
    request = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(request)
    while True:
        reply = kc.get_control_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == request["header"]["msg_id"]:
            return reply


def stdout(messages):
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


class InterruptRestartTests(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name=facet_kernel_env.KERNEL)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def test_interrupt_stops_training_and_keeps_variables(self):
        content, _ = run_cell(self.kc, DATA)
        self.assertEqual(content["status"], "ok")
        sent = time.monotonic()
        msg_id = self.kc.execute("let m = small()\nlet run = train(m, faces.emotion, epochs: 100000, batch: 10)")
        # Wait until the training draws its progress display: it is running.
        progress = []
        while not progress:
            msg = self.kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] in ("display_data", "update_display_data"):
                progress.append(msg)
        self.assertIn("display_id", progress[0]["content"]["transient"], "progress is one display updated in place")
        self.assertTrue(self.heartbeat_answers(), "the heartbeat answers while the cell runs")
        t0 = time.monotonic()
        self.km.interrupt_kernel()   # interrupt_mode "message": an interrupt_request on control
        reply = shell_reply(self.kc, msg_id, timeout=10)
        elapsed = time.monotonic() - t0
        self.assertLess(elapsed, 2.0, "the cell ends within 2 s of the interrupt")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        # The note times the whole cell (from before the training's bar opened), not the training alone.
        match = re.search(r"interrupted after ([0-9.]+) s", reply["content"]["evalue"])
        self.assertIsNotNone(match, reply["content"]["evalue"])
        self.assertGreaterEqual(float(match.group(1)) + 0.15, t0 - sent, "at least until the interrupt was sent")
        self.assertLessEqual(float(match.group(1)), time.monotonic() - sent + 0.1)
        messages = drain(self.kc, msg_id)
        updates = [m for m in messages if m["msg_type"] == "update_display_data"]
        self.assertTrue(all(m["content"]["transient"]["display_id"] == progress[0]["content"]["transient"]["display_id"]
                            for m in updates))
        # The kernel is alive and the variables from before the interrupt are all there.
        content, messages = run_cell(self.kc, "print(keep + 1, type(faces), type(m))")
        self.assertEqual(content["status"], "ok")
        self.assertEqual(stdout(messages).strip(), "42 dataset net")
        # An interrupt while nothing runs does not stop the next cell: sent as the manager sends it
        # (an interrupt_request on control), and its reply awaited, so the kernel has handled it.
        interrupt_and_wait(self.kc)
        content, messages = run_cell(self.kc, "print(keep)")
        self.assertEqual(content["status"], "ok")
        self.assertEqual(stdout(messages).strip(), "41")

    def heartbeat_answers(self):
        """A ping on the heartbeat socket comes back within a second."""
        info = self.km.get_connection_info()
        socket = zmq.Context.instance().socket(zmq.REQ)
        socket.linger = 0
        socket.connect(f"{info['transport']}://{info['ip']}:{info['hb_port']}")
        try:
            socket.send(b"ping")
            return socket.poll(1000) != 0 and socket.recv() == b"ping"
        finally:
            socket.close()

    def test_restart_gives_a_fresh_session(self):
        content, _ = run_cell(self.kc, "let before_restart = 7")
        self.assertEqual(content["status"], "ok")
        pid = self.km.provisioner.pid
        self.km.restart_kernel()
        self.kc.wait_for_ready(timeout=30)
        self.assertNotEqual(self.km.provisioner.pid, pid, "a new kernel process")
        content, _ = run_cell(self.kc, "print(before_restart)")
        self.assertEqual(content["status"], "error")
        self.assertIn("before_restart", content["evalue"])
        content, messages = run_cell(self.kc, "print(1 + 1)")
        self.assertEqual(content["status"], "ok")
        self.assertEqual(stdout(messages).strip(), "2")


def alive(pid):
    """Running (an ended process that no one reaped yet, a zombie, counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class OrphanTests(unittest.TestCase):
    def test_kernel_ends_when_its_front_end_dies(self):
        """A front end killed without a shutdown_request leaves no kernel behind."""
        script = ("from jupyter_client.manager import start_new_kernel\n"
                  f"km, kc = start_new_kernel(kernel_name={facet_kernel_env.KERNEL!r})\n"
                  "print(km.provisioner.pid, flush=True)\n"
                  "import signal; signal.pause()\n")   # alive until killed
        front = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        kernel = int(front.stdout.readline())
        self.assertTrue(alive(kernel))
        # A pidfd becomes readable when the process ends: the event, with 5 s as the failure timeout.
        ended = os.pidfd_open(kernel)
        try:
            front.kill()
            front.wait()
            readable, _, _ = select.select([ended], [], [], 5)
        finally:
            os.close(ended)
        if not readable and alive(kernel):
            os.kill(kernel, signal.SIGKILL)
            self.fail("the kernel outlived its front end by 5 s")


if __name__ == "__main__":
    unittest.main()

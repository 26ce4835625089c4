"""The calculator's GUI client (Tkinter): keypad, input line, result, history, visible errors.

Network I/O runs on a worker thread and its outcome comes back through a
queue that the Tk loop polls, so a server that is down or slow never freezes
the window. `--trace` prints the window's state as one JSON line after every
change, so a test (or a curious student) can check what a person sees.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import tkinter as tk
from functools import partial
from tkinter import ttk

from crosswire.calc.session import CalcSession, Outcome
from crosswire.peerutil import ArgumentParser, Console, main_of

POLL_MS = 30
KEYPAD = [
    ["7", "8", "9", "+", "-"],
    ["4", "5", "6", "*", "/"],
    ["1", "2", "3", "//", "%"],
    ["0", ".", "±", "^", "␣"],
]
OK_COLOUR, ERROR_COLOUR = "#1b5e20", "#b71c1c"


class CalculatorWindow:
    def __init__(self, root: tk.Tk, host: str, port: int, transport: str, timeout: float, trace: bool,
                 console: Console) -> None:
        self.root = root
        self.console = console
        self.timeout = timeout
        self.trace = trace
        self.outcomes: queue.Queue[Outcome] = queue.Queue()
        self.busy = False
        root.title("crosswire calculator")

        connection = ttk.Frame(root, padding=6)
        connection.grid(row=0, column=0, sticky="ew")
        self.host = tk.StringVar(value=host)
        self.port = tk.StringVar(value=str(port))
        self.transport = tk.StringVar(value=transport)
        ttk.Label(connection, text="Host").grid(row=0, column=0)
        ttk.Entry(connection, textvariable=self.host, width=14).grid(row=0, column=1)
        ttk.Label(connection, text="Port").grid(row=0, column=2)
        ttk.Entry(connection, textvariable=self.port, width=6).grid(row=0, column=3)
        for column, name in enumerate(("tcp", "udp"), start=4):
            ttk.Radiobutton(connection, text=name.upper(), value=name, variable=self.transport).grid(
                row=0, column=column)

        self.request = tk.StringVar()
        entry = ttk.Entry(root, textvariable=self.request, font=("TkFixedFont", 14), width=34)
        entry.grid(row=1, column=0, padx=6, sticky="ew")
        entry.bind("<Return>", lambda event: self.send())
        entry.focus_set()
        self.entry = entry

        keypad = ttk.Frame(root, padding=6)
        keypad.grid(row=2, column=0)
        for r, row in enumerate(KEYPAD):
            for c, key in enumerate(row):
                ttk.Button(keypad, text=key, width=5, command=partial(self.press, key)).grid(row=r, column=c)
        ttk.Button(keypad, text="C", width=5, command=lambda: self.request.set("")).grid(row=4, column=0)
        ttk.Button(keypad, text="⌫", width=5, command=lambda: self.request.set(self.request.get()[:-1])).grid(
            row=4, column=1)
        self.send_button = ttk.Button(keypad, text="=", command=self.send)
        self.send_button.grid(row=4, column=2, columnspan=3, sticky="ew")

        self.result = tk.StringVar(value="")
        self.result_label = tk.Label(root, textvariable=self.result, font=("TkFixedFont", 16, "bold"), anchor="e")
        self.result_label.grid(row=3, column=0, padx=6, sticky="ew")
        self.status = tk.StringVar(value="ready")
        tk.Label(root, textvariable=self.status, anchor="w", fg="#555").grid(row=4, column=0, padx=6, sticky="ew")
        self.history = tk.Listbox(root, height=8, font=("TkFixedFont", 11))
        self.history.grid(row=5, column=0, padx=6, pady=6, sticky="nsew")
        root.columnconfigure(0, weight=1)
        root.rowconfigure(5, weight=1)
        root.after(POLL_MS, self.poll)
        self.report()

    def press(self, key: str) -> None:
        text = self.request.get()
        if key == "␣":
            self.request.set(text + " ")
        elif key == "±":
            self.request.set(text + "-")
        elif key in ("+", "-", "*", "/", "//", "%", "^") and not text.strip():
            self.request.set(key + " ")  # an operator starts a request: OP A B
        else:
            self.request.set(text + key)
        self.entry.icursor(tk.END)

    def send(self) -> None:
        request = self.request.get().strip()
        if not request or self.busy:
            return
        try:
            port = int(self.port.get())
        except ValueError:
            self.show(Outcome(request, False, f"port {self.port.get()!r} is not a number", "INPUT"))
            return
        session = CalcSession(self.transport.get(), self.host.get(), port, self.timeout)
        self.request.set("")  # the request moves to the history; the line is ready for the next one
        self.busy = True
        self.status.set(f"asking {self.host.get()}:{port} over {self.transport.get().upper()}…")
        self.send_button.state(["disabled"])

        def work() -> None:
            try:
                self.outcomes.put(session.ask(request))
            finally:
                session.close()

        threading.Thread(target=work, daemon=True).start()
        self.report()

    def poll(self) -> None:
        if self.console.stop.is_set():  # in-process, a stop request closes the window (and ends mainloop)
            self.root.destroy()
            return
        try:
            while True:
                self.show(self.outcomes.get_nowait())
        except queue.Empty:
            pass
        self.root.after(POLL_MS, self.poll)

    def show(self, outcome: Outcome) -> None:
        self.busy = False
        self.send_button.state(["!disabled"])
        if outcome.ok:
            self.result.set(outcome.text)
            self.result_label.configure(fg=OK_COLOUR)
            self.status.set("ok")
            self.history.insert(0, f"{outcome.request} = {outcome.text}")
        else:
            self.result.set(f"{outcome.code}")
            self.result_label.configure(fg=ERROR_COLOUR)
            self.status.set(outcome.text)
            self.history.insert(0, f"{outcome.request} → {outcome.code}: {outcome.text}")
        self.report()

    def report(self) -> None:
        if self.trace:
            state = {
                "result": self.result.get(),
                "status": self.status.get(),
                "busy": self.busy,
                "history": list(self.history.get(0, tk.END)),
            }
            print(json.dumps(state, ensure_ascii=True), file=self.console.stdout, flush=True)


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7000)
    parser.add_argument("--transport", choices=["tcp", "udp"], default="tcp")
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--trace", action="store_true", help="print the window's state after every change")
    args = parser.parse_args(argv)
    try:
        root = tk.Tk()
    except tk.TclError as error:
        console.error(f"calculator GUI: cannot open a window: {error}")
        return 1
    CalculatorWindow(root, args.host, args.port, args.transport, args.timeout, args.trace, console)
    root.mainloop()
    return 0


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())

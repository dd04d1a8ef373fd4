// The benchmarks' child processes (forked with an IPC channel), asked and answered by message.

import { fork } from 'node:child_process';

/** Forks `file` with environment `env`; `label` names it in errors. */
export function forkChild(file, env, label) {
  const proc = fork(file, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = [];
  proc.on('message', (m) => {
    const i = waiting.findIndex((w) => w.test(m));
    if (i !== -1) waiting.splice(i, 1)[0].resolve(m);
  });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  proc.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${label} process exited (${code}) before answering`));
  });
  return {
    proc,
    exited,
    /** The next message for which `test(m)` holds. */
    wait(test) {
      return new Promise((resolve, reject) => waiting.push({ test, resolve, reject }));
    },
    async ask(message, test) {
      const answer = this.wait(test);
      proc.send(message);
      return answer;
    },
    /** Disconnects, and kills the process if it has not exited 2 s later. */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        if (proc.connected) proc.disconnect();
        const t = setTimeout(() => proc.kill(), 2000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

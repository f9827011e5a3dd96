"""Is an ssh-agent running, and does it hold the key the cluster trusts?

Typhoon's bootstrap copies TLS assets to the controllers over SSH through the agent; without
the key loaded, Terraform retries for about fifteen minutes before failing.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PublicKey:
    kind: str
    blob: str
    comment: str = ""

    @classmethod
    def parse(cls, line: str) -> PublicKey | None:
        fields = line.strip().split(None, 2)
        if len(fields) < 2:
            return None
        return cls(fields[0], fields[1], fields[2] if len(fields) > 2 else "")

    def same_key(self, other: PublicKey) -> bool:
        # The comment is free text; only the algorithm and key material identify a key.
        return (self.kind, self.blob) == (other.kind, other.blob)

    def md5_fingerprint(self) -> str:
        """The colon-separated MD5 fingerprint DigitalOcean uses to name SSH keys."""
        digest = hashlib.md5(base64.b64decode(self.blob), usedforsecurity=False).hexdigest()
        return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))

    def short(self) -> str:
        tail = f" {self.comment}" if self.comment else ""
        return f"{self.kind} ...{self.blob[-12:]}{tail}"


class AgentProblem(Exception):
    pass


def agent_keys(env: Mapping[str, str] | None = None) -> list[PublicKey]:
    """Keys the agent at `$SSH_AUTH_SOCK` holds; `AgentProblem` says why there are none."""
    env = dict(os.environ if env is None else env)
    sock = env.get("SSH_AUTH_SOCK")
    if not sock:
        raise AgentProblem(
            "no ssh-agent: SSH_AUTH_SOCK is not set. Start one and add the cluster key: "
            "eval $(ssh-agent) && ssh-add ~/.ssh/id_ed25519"
        )
    if not os.path.exists(sock):
        raise AgentProblem(f"no ssh-agent: SSH_AUTH_SOCK={sock} does not exist")
    ssh_add = shutil.which("ssh-add", path=env.get("PATH"))
    if ssh_add is None:
        raise AgentProblem("ssh-add not found on PATH (install OpenSSH client tools)")
    proc = subprocess.run(
        [ssh_add, "-L"], capture_output=True, text=True, env=env, timeout=30, check=False
    )
    if proc.returncode == 1:
        raise AgentProblem("the ssh-agent holds no keys: ssh-add ~/.ssh/<the cluster key>")
    if proc.returncode != 0:
        reason = (proc.stderr or proc.stdout).strip()
        raise AgentProblem(f"cannot talk to the ssh-agent at {sock}: {reason}")
    return [k for k in map(PublicKey.parse, proc.stdout.splitlines()) if k is not None]

"""Durability: submissions received but not pushed survive SIGKILL and arrive exactly once.

The remote is a real bare repository whose hooks close it for pushes (pre-receive)
or kill the service right after a push was accepted (post-receive), so the crash
falls between the remote's update and the database's.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from intake_service import Intake, branch_files, intake_branches, make_remote, new_practice, wait_for


def hook(remote: Path, name: str, script: str) -> None:
    path = remote / "hooks" / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def log_updates(remote: Path, log: Path) -> str:
    """post-receive lines that append every ref update to ``log`` (to count pushes per branch)."""
    return f'while read old new ref; do echo "$ref $new" >> "{log}"; done\n'


def pushes(log: Path) -> list[str]:
    return [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []


def test_sigkill_with_unpushed_submissions_then_restart_delivers_each_once(tmp_path):
    remote = make_remote(tmp_path)
    closed, log = tmp_path / "closed", tmp_path / "pushes.log"
    closed.touch()
    hook(remote, "pre-receive", f'if [ -e "{closed}" ]; then echo "remote closed for the test" >&2; exit 1; fi\n')
    hook(remote, "post-receive", log_updates(remote, log))
    service = Intake(tmp_path / "data", remote).start()
    receipts = []
    for number in range(5):
        status, body, _ = service.post({"kind": "practice", "record": new_practice(number)})
        assert status == 202, body
        receipts.append(body["receipt"])
    # Every one was tried and refused by the remote, and is waiting for its retry.
    wait_for(lambda: all(r["attempts"] >= 1 for r in service.rows()), what="failed push attempts")
    assert all("remote closed" in r["last_error"] for r in service.rows())
    assert intake_branches(remote) == {}
    service.kill()

    closed.unlink()
    with Intake(tmp_path / "data", remote, port=service.port) as restarted:
        wait_for(lambda: len(intake_branches(remote)) == 5, what="five branches")
        wait_for(lambda: all(r["state"] == "pushed" for r in restarted.rows()), what="all pushed")
        assert set(intake_branches(remote)) == {f"intake/{r}" for r in receipts}
        for number, receipt in enumerate(receipts):
            assert branch_files(remote, f"intake/{receipt}") == {f"practices/intake-testi-{number}.yml"}
        assert sorted(pushes(log)) == sorted(f"refs/heads/intake/{r}" for r in receipts)  # each pushed once


def test_killed_after_the_push_before_recording_it_is_not_pushed_again(tmp_path):
    remote = make_remote(tmp_path)
    pid_file, log = tmp_path / "service.pid", tmp_path / "pushes.log"
    # After the remote accepted the branch, kill the service before it can write down that it did.
    hook(remote, "post-receive", log_updates(remote, log)
         + f'if [ -e "{pid_file}" ]; then kill -9 "$(cat "{pid_file}")"; rm -f "{pid_file}"; fi\n')
    service = Intake(tmp_path / "data", remote).start()
    pid_file.write_text(str(service.process.pid))
    status, body, _ = service.post({"kind": "practice", "record": new_practice(1)})
    assert status == 202
    service.process.wait(60)  # killed by the hook
    assert service.process.returncode == -9
    branch = f"intake/{body['receipt']}"
    assert branch in intake_branches(remote)
    assert [r["state"] for r in service.rows()] == ["received"]  # the database never heard of the push

    with Intake(tmp_path / "data", remote, port=service.port) as restarted:
        wait_for(lambda: [r["state"] for r in restarted.rows()] == ["pushed"], what="recorded as pushed")
        row = restarted.rows()[0]
        assert row["commit_sha"] == intake_branches(remote)[branch]
        assert "branch already pushed" in restarted.log.read_text()
    assert pushes(log) == [f"refs/heads/{branch}"]
    assert not os.path.exists(pid_file)

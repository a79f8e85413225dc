"""Dump file sets moved between Amazon RDS for Oracle and S3 by RDS's own S3 tasks.

The instance does the transfer (no bytes through the worker); the hook starts one task,
polls its log in the worker every ``poll_interval`` seconds (not deferred: a poll is one
short query, and a task seldom runs long enough for a trigger to pay off), and fails with the
log's error lines when the task fails. What the database lets us verify is verified: the task
must log its success line and name every member; the directory side's sizes are read back.
RDS gives no way to read an object's size from SQL, so the S3 side rests on the task's log.

``download_from_s3`` skips a file that already exists in the directory, so a download refuses
to start over existing members (they could be stale or half-written) unless
``replace_existing`` deletes them first, or the set's marker says an earlier download of ours
did not finish. An upload sends the set's manifest object first (``incomplete``, every member
named) and again after the last member (``complete``); a download brings that manifest down
first, refuses an incomplete one, and leaves the set's marker in the directory incomplete
until every member the manifest lists has arrived.

RDS selects by prefix only (a file whose name starts with ``p_prefix``, an object whose key
starts with ``p_s3_prefix``). Each member goes in a task of its own with its whole name as
the prefix, so only files named longer could go along: an upload refuses, before any task,
to start beside such files (``rds_file_util.listdir`` lists the directory); a download asks
for each member its manifest lists and deletes what else the prefix brought. A bucket set with
no manifest (uploaded by hand or before manifests) is asked for by its fixed prefix.

Whose a file is, and which export a member comes from, is decided by what was recorded, not
by names: the marker lists the files sharing the set's prefix that were there before the
first task (not ours; a retry deletes only what an unfinished try brought), and each member
must carry the set's dump GUID and the size its manifest records.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from airflow_datapump.core import rds, transfer
from airflow_datapump.core.calls import Call
from airflow_datapump.core.transfer import Manifest, MemberCopy
from airflow_datapump.exceptions import DatabaseCallError, TransferError
from airflow_datapump.hooks._moving import (
    DirectoryMarker,
    read_marker,
    run_package_call,
    write_marker,
    write_text,
)
from airflow_datapump.hooks._moving import Files as _Files
from airflow_datapump.hooks._sets import SetIdentity, checked_set, listed_members

log = logging.getLogger(__name__)
_PACKAGE = "RDSADMIN (Amazon RDS for Oracle's S3 integration)"


class RdsS3Mixin:
    """RDS S3 uploads and downloads of dump file sets; mixed into :class:`DatapumpHook`."""

    def rds_upload_dump_files(
        self: _Files,
        directory: str,
        dump_files: list[str],
        bucket_name: str,
        *,
        s3_prefix: str = "",
        delete_source: bool = False,
        poll_interval: float = 10.0,
        timeout: float = 3600.0,
    ) -> list[MemberCopy]:
        """Upload every member of the sets in ``directory`` to ``s3://bucket_name/s3_prefix``."""
        dump_files = transfer.check_dump_files("dump_files", dump_files)
        bucket, prefix = rds.check_bucket(bucket_name), rds.check_s3_prefix(s3_prefix)
        sets = {t: checked_set(self, directory, t) for t in dump_files}
        sent = [n for t, (members, _, _) in sets.items() for n in [*members, transfer.manifest_name(t)]]
        listed = _refuse_strays(self, directory, sent)  # and the members' sizes, for the manifest
        wait = partial(_run_task, self, poll_interval=poll_interval, timeout=timeout)
        copied: list[MemberCopy] = []
        for template, (members, guid, numbers) in sets.items():
            identity = SetIdentity(self, template, guid, numbers)
            manifest = Manifest(template, expected=members, guid=guid)
            _send_manifest(self, manifest, directory, wait, bucket=bucket, prefix=prefix)  # incomplete
            for name in members:  # one task each, p_prefix the whole name: no other file starts so
                lines = wait(rds.upload(bucket, prefix=name, s3_prefix=prefix, directory=directory))
                if not rds.names_file(lines, name):
                    raise TransferError(f"the upload task's log does not mention {name}", file_name=name)
                member = identity.copy(name, listed[name])
                manifest.members[name] = member.to_dict()
                copied.append(member)
            manifest.complete = True
            _send_manifest(self, manifest, directory, wait, bucket=bucket, prefix=prefix)
        if delete_source:
            self.delete_copied(directory, [m.name for m in copied], "its upload task succeeded")
        return copied

    def rds_download_dump_files(
        self: _Files,
        bucket_name: str,
        dump_files: list[str],
        directory: str,
        *,
        s3_prefix: str = "",
        replace_existing: bool = False,
        poll_interval: float = 10.0,
        timeout: float = 3600.0,
    ) -> list[MemberCopy]:
        """Download every member of the sets under ``s3://bucket_name/s3_prefix`` into ``directory``."""
        dump_files = transfer.check_dump_files("dump_files", dump_files)
        bucket, prefix = rds.check_bucket(bucket_name), rds.check_s3_prefix(s3_prefix)
        wait = partial(_run_task, self, poll_interval=poll_interval, timeout=timeout)
        copied: list[MemberCopy] = []
        for template in dump_files:
            preexisting = _make_way(self, directory, template, replace_existing)
            manifest = _fetch_manifest(self, template, directory, wait, bucket=bucket, prefix=prefix)
            problem = manifest.upload_problem(f"s3://{bucket}/{prefix}") if manifest else None
            if problem:
                raise TransferError(problem)
            expected = manifest.expected if manifest else []
            guid = manifest.guid if manifest else None
            names = expected or [_set_start(template)]  # no manifest: every key of the set's start
            marker = DirectoryMarker(self, directory, template, expected, guid, preexisting=preexisting)
            lines = [
                line
                for name in names
                for line in wait(rds.download(bucket, s3_prefix=prefix + name, directory=directory))
            ]
            listed = _listing(self, directory)  # names and sizes of what arrived, in one round trip
            members = listed_members(template, listed, directory)
            if expected:  # asked by whole member names: what else came shares a member's name
                _drop_strays(self, directory, template, names, {*preexisting, *members}, listed)
            else:  # asked by the set's start: another job's new file may share it; leave it be
                _name_strays(self, directory, template, names, {*preexisting, *members}, listed)
            found = {name: listed[name] for name in members}
            identity = SetIdentity(self, template, guid, manifest.file_numbers() if manifest else None)
            recorded = manifest.members if manifest else {}
            for member in _proved(
                self, directory, template, found, expected, recorded, identity, preexisting
            ):
                if not rds.names_file(lines, member.name):
                    raise TransferError(
                        f"the download task's log does not mention {member.name}", file_name=member.name
                    )
                marker.verified(member)
                copied.append(member)
            marker.manifest.guid = identity.guid  # a set with no manifest: its first member's
            marker.finish()
        return copied


def _make_way(hook: _Files, directory: str, template: str, replace_existing: bool) -> list[str]:
    """Clear the set's way; the files beside it that are not ours, which the download must keep.

    Members already there are deleted when asked, or when an unfinished download of ours
    left them (download_from_s3 skips a file that exists, so it would keep them unverified),
    and so is everything else that download brought: what its marker did not record as there
    before its first task. The marker goes too, so the bucket's manifest can come down.
    """
    listing = _listing(hook, directory)  # also says what is there to read or delete: no probes
    existing = transfer.members_run(template, listing.__contains__)
    own = read_marker(hook, directory, template, listed=listing)
    unfinished = own is not None and not own.complete
    if existing and not replace_existing and not unfinished:
        raise TransferError(
            f"{', '.join(existing)} already in {directory}: download_from_s3 would skip them and "
            "keep files it cannot verify; delete them, or set replace_existing=True"
        )
    marker = transfer.manifest_name(template)
    ours = set(existing)
    if own is not None and unfinished and own.preexisting is not None and own.expected:
        # Asked by whole member names, so what shares one came from it; what was there is not ours.
        # (Asked by the set's start, a newer file may be another job's: never deleted on a guess.)
        ours = (ours | set(rds.could_bring(own.expected, list(listing)))) - set(own.preexisting) - {marker}
    for name in sorted(ours):
        log.info("Deleted %s from %s: an unfinished download of %s left it", name, directory, template)
        hook.delete_listed(directory, name)
    if marker in listing:
        hook.delete_listed(directory, marker)
    return [
        n for n in rds.could_bring([rds.fixed_prefix(template)], list(listing)) if n not in ours | {marker}
    ]


def _proved(
    hook: _Files,
    directory: str,
    template: str,
    found: dict[str, int],
    expected: list[str],
    recorded: dict[str, dict[str, Any]],
    identity: SetIdentity,
    preexisting: list[str],
) -> list[MemberCopy]:
    """The members the download brought (``found``, with their listed sizes), each proved by
    its dump header to be of the set.

    The set's GUID is the manifest's, else the first member's (``identity``); a size the
    manifest ``recorded`` must match too. A member that fails is the download's (removed)
    unless it was there before (not ours: download_from_s3 skipped it, and it is left alone);
    either way, refused.
    """
    members = list(found)
    missing = [n for n in expected if n not in members]
    if not members or missing:
        what = ", ".join(missing) or template
        raise TransferError(f"the download task brought no dump files {what} into {directory}")
    theirs = [n for n in members if n in preexisting]
    if theirs:
        raise TransferError(
            f"{', '.join(theirs)} in {directory} were there before the download began, so "
            f"download_from_s3 skipped them: not ours, they were left untouched; move or delete them "
            f"and run the download again"
        )
    wrong = identity.adopt_or_compare(directory, members)
    wrong |= {
        n: f"{found[n]} bytes" for n in members if recorded.get(n, {}).get("size", found[n]) != found[n]
    }
    if wrong:
        for name in wrong:
            hook.delete_file(directory, name)
        listed = "; ".join(f"{name} ({why})" for name, why in sorted(wrong.items()))
        raise TransferError(
            f"the download brought files that are not members of the set {template} (dump GUID "
            f"{identity.guid}, sizes as its manifest records) into {directory}: {listed}; they were removed"
        )
    return [identity.copy(name, found[name]) for name in members]


def _listing(hook: _Files, directory: str) -> dict[str, int]:
    """The files in ``directory`` and their sizes: one round trip, however many there are."""
    listed: dict[str, int] = run_package_call(hook, rds.listing(directory), _PACKAGE, retry=True)
    return listed


def _refuse_strays(hook: _Files, directory: str, names: list[str]) -> dict[str, int]:
    """Refuse, before any task starts, to upload beside files that share a name's start; the
    directory's files and sizes, as listed for the check, when there are none.

    upload_to_s3 takes every file whose name starts with ``p_prefix``; with the whole name
    as the prefix, only files named longer (``hr_01.dmp.part``) would go with it.
    """
    listed = _listing(hook, directory)
    strays = rds.beside(names, list(listed))
    if strays:
        named = "; ".join(f"{', '.join(others)} (beside {name})" for name, others in strays.items())
        raise TransferError(
            f"upload_to_s3 selects files by name prefix, so it would also upload {named} from "
            f"{directory}; move or delete them first"
        )
    return listed


def _set_start(template: str) -> str:
    """The key prefix a set without a manifest is downloaded by; refused when empty, as a
    download by an empty prefix would take every object under the S3 prefix."""
    start = rds.fixed_prefix(template)
    if not start:
        raise TransferError(
            f"{template} starts with a substitution variable and the bucket has no manifest for it: "
            "downloading by its start would take every object under the S3 prefix; name the set's "
            "files with a fixed start (hr_%U.dmp), or upload it with this provider (which writes a manifest)"
        )
    return start


def _strays(template: str, names: list[str], kept: set[str], listed: dict[str, int]) -> list[str]:
    """What a download by the key prefixes ``names`` may have brought besides ``kept`` and the
    set's manifest: the files ``listed`` in the directory sharing one of those prefixes."""
    kept = kept | {transfer.manifest_name(template)}
    return sorted(set(rds.could_bring(names, list(listed))) - kept)


def _name_strays(
    hook: _Files, directory: str, template: str, names: list[str], kept: set[str], listed: dict[str, int]
) -> None:
    """Files sharing the set's start that are not its members: the download may have brought
    them, or another job wrote them meanwhile; nothing proves which, so they are only named."""
    strays = _strays(template, names, kept, listed)
    if strays:
        log.warning(
            "Left in %s, not of the set and not proved to be the download's: %s", directory, ", ".join(strays)
        )


def _drop_strays(
    hook: _Files, directory: str, template: str, names: list[str], kept: set[str], listed: dict[str, int]
) -> None:
    """Delete what the download by key prefixes ``names`` brought besides the set: files that
    were not there before it (download_from_s3 skips a file that exists) and are not members."""
    for name in _strays(template, names, kept, listed):
        log.info(
            "Deleted %s from %s: the download's key prefix brought it, it is not of the set", name, directory
        )
        hook.delete_file(directory, name)


def _run_task(hook: _Files, call: Call[str], *, poll_interval: float, timeout: float) -> list[str]:
    return wait_for_task(hook, run_package_call(hook, call, _PACKAGE), poll_interval, timeout)


def _send_manifest(
    hook: _Files,
    manifest: Manifest,
    directory: str,
    wait: Callable[[Call[str]], list[str]],
    *,
    bucket: str,
    prefix: str,
) -> None:
    """The set's manifest object in S3: the file staged in ``directory`` under its own name
    (upload_to_s3 keys objects by file name) and uploaded; a marker that was there is put back."""
    name = transfer.manifest_name(manifest.template)
    there = read_marker(hook, directory, manifest.template)
    write_text(hook, directory, name, manifest.to_json())
    try:
        wait(rds.upload(bucket, prefix=name, s3_prefix=prefix, directory=directory))
    finally:
        if there is None:
            hook.delete_file(directory, name)
        else:
            write_marker(hook, directory, there)


def _fetch_manifest(
    hook: _Files,
    template: str,
    directory: str,
    wait: Callable[[Call[str]], list[str]],
    *,
    bucket: str,
    prefix: str,
) -> Manifest | None:
    """The set's manifest object in S3, downloaded as the set's marker in ``directory``; None without one.

    Sets uploaded by hand or by versions before manifests have none: they are downloaded by
    their fixed prefix instead, so finding no manifest object is not an error.
    """
    key = prefix + transfer.manifest_name(template)
    wait(rds.download(bucket, s3_prefix=key, directory=directory, error_on_zero=False))
    return read_marker(hook, directory, template)


def wait_for_task(hook: _Files, task_id: str, poll_interval: float, timeout: float) -> list[str]:
    """Poll the task's log until it ends; its lines when it succeeded, else TransferError."""
    log.info("RDS S3 task %s started; its log is %s in BDUMP", task_id, rds.log_file(task_id))
    deadline, shown = time.monotonic() + timeout, 0
    while True:
        try:
            lines = hook._retrying(partial(hook.run_call, rds.task_log(task_id)))
        except DatabaseCallError:
            lines = []  # the task has not written its log yet
        for line in lines[shown:]:
            log.info("%s", line)
        shown = max(shown, len(lines))
        verdict = rds.classify(lines)
        if verdict is rds.TaskVerdict.SUCCEEDED:
            return list(lines)
        if verdict is rds.TaskVerdict.FAILED:
            reasons = rds.task_log_errors(lines) or lines[-5:]
            raise TransferError(f"RDS S3 task {task_id} failed: " + " | ".join(reasons))
        if time.monotonic() >= deadline:
            raise TransferError(f"RDS S3 task {task_id} did not finish within {timeout:.0f} s")
        time.sleep(poll_interval)

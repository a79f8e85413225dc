"""The ``files`` commands and ``copy``: dump and log files in directory objects.

A directory cannot be listed through SQL on a plain database, so ``files list`` takes the
names (``%U`` sets expand to the members that exist), as the hook's file helpers do.
"""

from __future__ import annotations

import argparse

from airflow_datapump import cli
from airflow_datapump.cli._session import emit, hook_for
from airflow_datapump.core.names import db_link, file_name, identifier


def files_list(args: argparse.Namespace) -> int:
    hook = hook_for(args)
    directory = identifier(args.directory, "--directory")
    found = [
        {"file": member, "bytes": hook.file_size(directory, member)}
        for template in args.templates
        for member in hook.dump_file_members(directory, template)
    ]
    text = "\n".join(f"{f['bytes']:>14}  {f['file']}" for f in found) or "No such files."
    emit(args, {"directory": directory, "files": found}, text)
    return cli.SUCCESS if found else cli.FAILED


def files_info(args: argparse.Namespace) -> int:
    hook = hook_for(args)
    directory = identifier(args.directory, "--directory")
    info = hook.dumpfile_info(directory, args.file_name)
    names = info.ITEM_NAMES
    items = {names.get(code, str(code)): value for code, value in sorted(info.items.items())}
    data = {"file": args.file_name, "file_type": info.file_type, "is_datapump": info.is_datapump, **items}
    emit(args, data, "\n".join(f"{key:<20} {value}" for key, value in data.items()))
    return cli.SUCCESS if info.is_datapump else cli.FAILED


def files_precheck(args: argparse.Namespace) -> int:
    from airflow_datapump.cli.actions import spec_from

    spec = spec_from("impdp", args.parameters)
    problems = hook_for(args).precheck_import(spec)
    text = "\n".join(f"problem: {p}" for p in problems) or "The dump files look right for this import."
    emit(args, {"ok": not problems, "problems": problems}, text)
    return cli.FAILED if problems else cli.SUCCESS


def files_delete(args: argparse.Namespace) -> int:
    hook = hook_for(args)
    directory = identifier(args.directory, "--directory")
    deleted = [name for template in args.templates for name in hook.delete_dump_files(directory, template)]
    emit(args, {"directory": directory, "deleted": deleted}, "\n".join(f"deleted {n}" for n in deleted) or
         "Nothing to delete.")  # fmt: skip
    return cli.SUCCESS if deleted else cli.FAILED


def copy(args: argparse.Namespace) -> int:
    files = [file_name(f, "FILE", substitution=False) for f in args.files]
    link = db_link(args.link, "--link")
    hook = hook_for(args)
    copied = hook.copy_files(
        files,
        link=link,
        direction=args.direction,
        source_directory=identifier(args.source_directory, "--source-directory"),
        destination_directory=identifier(args.destination_directory, "--destination-directory"),
    )
    emit(args, {"copied": copied, "link": args.link, "direction": args.direction},
         "\n".join(f"copied {name} ({args.direction} over {args.link})" for name in copied))  # fmt: skip
    return cli.SUCCESS

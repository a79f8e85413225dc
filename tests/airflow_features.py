"""What the installed Airflow offers: CI runs the suites on 3.3 and on 3.0, the oldest
pyproject allows, and a few things tests rely on are younger than 3.0. Each is decided here,
once, by the feature itself where Airflow has something to look at, else by version; a test
that needs one carries its marker (tests/conftest.py skips it, saying why) or reads the flag."""

from __future__ import annotations

from importlib.metadata import version

from airflow.triggers.base import BaseTrigger
from packaging.version import Version

airflow_version = Version(version("apache-airflow"))

#: dag.test() resumes a deferred task from 3.1 on; 3.0's in-process runner refuses the resume
#: call with a validation error and fails any task that defers (the core TimeDeltaSensor too).
DAG_TEST_RESUMES_DEFERRED = airflow_version >= Version("3.1")
#: Airflow's UI shows plugin views in its navigation from 3.1 on: the Data Pump page needs it.
UI_PLUGIN_VIEWS = airflow_version >= Version("3.1")
#: Airflow loads provider CLI commands (``airflow datapump``) from 3.2 on; before, the
#: standalone ``airflow-datapump`` program is the way.
LOADS_PROVIDER_CLI = airflow_version >= Version("3.2")
#: The triggerer calls a cancelled trigger's on_kill when a user kills, fails or clears its
#: deferred task, from 3.3 on (BaseTrigger.on_kill came with it); before, the trigger is only
#: cancelled and the Data Pump job keeps running.
CALLS_TRIGGER_ON_KILL = hasattr(BaseTrigger, "on_kill")

#: The scheduler's kernel copy of its environment (/proc/PID/environ) can be read: on 3.0 it
#: reads empty, as the triggerer's does (seen on 3.0.6), and it is intact on 3.3. There is
#: nothing to look at but the version; 3.1 and 3.2 are not run, and are taken to be as 3.3.
SCHEDULER_ENVIRON_READABLE = airflow_version >= Version("3.1")

#: Marker -> why its tests are skipped on this Airflow: a test marked with a feature needs it;
#: ``without_trigger_on_kill`` holds what an Airflow lacking that one does instead.
SKIPPED: dict[str, str] = {
    marker: reason
    for marker, runs, reason in (
        ("dag_test", DAG_TEST_RESUMES_DEFERRED, "dag.test() cannot resume a deferred task on Airflow < 3.1"),
        (
            "trigger_on_kill",
            CALLS_TRIGGER_ON_KILL,
            f"Airflow {airflow_version} calls no trigger on_kill (Airflow 3.3 and later do): "
            "a deferred task marked failed leaves its job running",
        ),
        (
            "without_trigger_on_kill",
            not CALLS_TRIGGER_ON_KILL,
            f"Airflow {airflow_version} calls the trigger's on_kill (3.3 and later), which stops the job",
        ),
    )
    if not runs
}

"""A small HR-like sample schema, with made-up people, for tests and examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

_REGIONS = [(1, "Europe"), (2, "Americas"), (3, "Asia"), (4, "Middle East and Africa")]
_COUNTRIES = [
    ("DE", "Germany", 1),
    ("FR", "France", 1),
    ("US", "United States", 2),
    ("JP", "Japan", 3),
]
_DEPARTMENTS = [
    (10, "Administration", None, 1700),
    (20, "Marketing", None, 1800),
    (50, "Shipping", None, 1500),
    (60, "IT", None, 1400),
    (90, "Executive", None, 1700),
]
_FIRST = ["Ada", "Bram", "Cleo", "Dario", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jonas"]
_LAST = ["Moreau", "Varga", "Lindqvist", "Okafor", "Brandt", "Sato", "Quinn", "Ferreira"]
_JOBS = ["AD_PRES", "MK_MAN", "SH_CLERK", "IT_PROG", "AD_ASST"]


def _employees() -> list[tuple[Any, ...]]:
    rows = []
    for i in range(20):
        first, last = _FIRST[i % len(_FIRST)], _LAST[i % len(_LAST)]
        rows.append(
            (
                100 + i,
                first,
                last,
                f"{first[0]}{last}{i}".upper(),
                dt.datetime(2015 + i % 9, 1 + i % 12, 1 + i % 28),
                _JOBS[i % len(_JOBS)],
                Decimal(3000 + 250 * i),
                [10, 20, 50, 60, 90][i % 5],
            )
        )
    return rows


HR_TABLES: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {
    "REGIONS": (["REGION_ID NUMBER PRIMARY KEY", "REGION_NAME VARCHAR2(25)"], list(_REGIONS)),
    "COUNTRIES": (
        ["COUNTRY_ID CHAR(2) PRIMARY KEY", "COUNTRY_NAME VARCHAR2(40)", "REGION_ID NUMBER"],
        list(_COUNTRIES),
    ),
    "DEPARTMENTS": (
        [
            "DEPARTMENT_ID NUMBER(4) PRIMARY KEY",
            "DEPARTMENT_NAME VARCHAR2(30) NOT NULL",
            "MANAGER_ID NUMBER(6)",
            "LOCATION_ID NUMBER(4)",
        ],
        list(_DEPARTMENTS),
    ),
    "EMPLOYEES": (
        [
            "EMPLOYEE_ID NUMBER(6) PRIMARY KEY",
            "FIRST_NAME VARCHAR2(20)",
            "LAST_NAME VARCHAR2(25) NOT NULL",
            "EMAIL VARCHAR2(25) NOT NULL",
            "HIRE_DATE DATE NOT NULL",
            "JOB_ID VARCHAR2(10)",
            "SALARY NUMBER(8,2)",
            "DEPARTMENT_ID NUMBER(4)",
        ],
        _employees(),
    ),
}

"""What the benchmarks share: printing their PASS/FAIL lines and the machine's load."""

import os


def print_checks(checks: list[tuple[bool, str]]) -> bool:
    """Print one PASS/FAIL line per check and the load average; True when all passed."""
    for ok, text in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    try:
        load = os.getloadavg()
        print(f"(load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} cores)")
    except OSError:
        pass
    return all(ok for ok, _ in checks)

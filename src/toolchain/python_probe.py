# Run by `stackgen doctor` as `python -c`: one process answers everything, as one JSON line.
# Kept to syntax that Python 2 still parses, so an old interpreter reports its version
# instead of a syntax error.
import json, os, sys

report = {"version": sys.version.split()[0], "executable": sys.executable}
base_prefix = getattr(sys, "base_prefix", sys.prefix)
try:
    # Reading pip's metadata is ten times faster than starting pip.
    from importlib import metadata
    dist = metadata.distribution("pip")
    report["pip"] = dist.version
    report["pip_location"] = str(dist.locate_file("pip"))
except Exception as error:
    report["pip_error"] = "%s: %s" % (type(error).__name__, error)
try:
    # Debian ships python3 without ensurepip unless python3-venv is installed; `venv` then
    # fails only when it tries to install pip. ensurepip.version() also needs the wheels.
    import venv, ensurepip
    ensurepip.version()
except Exception as error:
    report["venv_error"] = "%s: %s" % (type(error).__name__, error)
try:
    import sysconfig
    marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
    report["externally_managed"] = sys.prefix == base_prefix and os.path.isfile(marker)
except Exception:
    pass
print(json.dumps(report))

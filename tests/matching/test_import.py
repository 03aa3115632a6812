import subprocess
import sys


def test_importing_matching_does_not_import_django():
    code = "import twoway.matching, twoway.matching.cli, sys; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)

import sys

from factcheck_site.cli import main

sys.exit(main())

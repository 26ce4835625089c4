"""`python -m crosswire.addr`: the addr tool (see crosswire.addr.tool)."""

import sys

from crosswire.addr.tool import main

sys.exit(main())

from __future__ import annotations

from jiracfg.cli import main

main()

"""``python -m id_card_scan.cli``: the same command as the installed ``id-card-scan``."""

from id_card_scan.cli.main import main

raise SystemExit(main())

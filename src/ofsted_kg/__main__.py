from ofsted_kg.cli import main

raise SystemExit(main())

from powcount.cli import main

main()

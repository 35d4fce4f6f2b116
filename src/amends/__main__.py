from amends.cli.main import main

main()

from samarbejde_xl.cli import main

main()

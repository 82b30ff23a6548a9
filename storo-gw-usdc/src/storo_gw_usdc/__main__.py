from storo_gw_usdc.cli import main

main()

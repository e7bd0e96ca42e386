import RouteShiftCommands
FatalSignals.install()
RouteShiftCommand.main()

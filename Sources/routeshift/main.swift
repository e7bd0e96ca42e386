import RouteShiftCommands
FatalSignals.install()
FatalSignals.installInterruptCleanup()
RouteShiftCommand.main()

import RouteShiftCommands
RouteShiftCommand.main()

using AgentFlow.Cli;

return await CliApplication.RunAsync(args, CliConsole.FromSystemConsole(), CancellationToken.None);

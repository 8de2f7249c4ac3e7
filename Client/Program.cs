using JobQueue.Client.Cli;

return await CliApp.RunAsync(args);

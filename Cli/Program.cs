using JobQueue.Cli;

return await CliApp.RunAsync(args);

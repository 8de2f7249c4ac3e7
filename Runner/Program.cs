using JobQueue.Client.Cli;

return await RunnerCommand.InvokeAsync(RunnerCommand.CreateRoot(), args);

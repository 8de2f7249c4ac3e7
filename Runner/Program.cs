using JobQueue.Runner;

return await RunnerCommand.InvokeAsync(RunnerCommand.CreateRoot(), args);

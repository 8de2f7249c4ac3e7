using JobQueue.Silo.Hosting;

ManagerRuntime.RestartWithSettings(shortLived: false);
return await JobQueueManager.RunAsync(args);

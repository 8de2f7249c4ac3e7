using JobQueue.Silo.Hosting;

return await JobQueueManager.RunAsync(args);

using JobQueue.Silo.Hosting;

ManagerGc.RestartWithBudget();
return await JobQueueManager.RunAsync(args);

global using JobQueue.Client;
global using JobQueue.Client.Execution;

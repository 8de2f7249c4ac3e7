global using JobQueue.Client;
global using Xunit;

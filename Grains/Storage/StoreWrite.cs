namespace JobQueue.Grains.Storage;

/// <summary>A write that the group-commit writer gathers with others into one transaction.</summary>
public abstract record StoreWrite;

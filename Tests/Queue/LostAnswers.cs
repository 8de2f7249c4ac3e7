using JobQueue.Grains;

namespace JobQueue.Tests.Queue;

/// <summary>
/// A fault for the test host: once armed, the next reservation is made and committed, and then its answer is lost on
/// the way back, as when the manager holding the call dies after the job was taken. Armed late, the answer is lost at
/// once and the job is taken only when the test lets it land, as when the manager holding the call dies while the
/// job's own manager still commits the grant.
/// </summary>
public sealed class LostAnswers : IIncomingGrainCallFilter
{
    private Type? _armed;
    private Type? _armedLate;
    private Exception? _fault;
    private string? _heldJob;
    private TaskCompletionSource _grant = Landed();

    /// <summary>
    /// Loses the answer of the next reserve call to a grain of <paramref name="grain"/> that takes a job, with
    /// <paramref name="fault"/> (the manager went away, unless told otherwise) in its place.
    /// </summary>
    public void Arm(Type grain, Exception? fault = null)
    {
        _fault = fault ?? new SiloUnavailableException("the answer was lost (test fault)");
        Volatile.Write(ref _armed, grain);
    }

    /// <summary>
    /// Fails the next reserve call to a grain of <paramref name="grain"/> at once; the job it takes (<paramref name="job"/>)
    /// is taken only on <see cref="Land"/>.
    /// </summary>
    public void ArmLate(Type grain, string job)
    {
        _heldJob = job;
        _grant = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _armedLate, grain);
    }

    /// <summary>Lets the grant of the call failed by <see cref="ArmLate"/> be taken and committed.</summary>
    public void Land() => _grant.TrySetResult();

    private static TaskCompletionSource Landed()
    {
        var landed = new TaskCompletionSource();
        landed.SetResult();
        return landed;
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var method = context.InterfaceMethod;
        if (method?.DeclaringType == typeof(IJobGrain) && method.Name == nameof(IJobGrain.Reserve) && context.TargetId.Key.ToString() == _heldJob)
        {
            await _grant.Task;
        }

        var late = Volatile.Read(ref _armedLate);
        if (late is not null && method?.DeclaringType == late && Interlocked.CompareExchange(ref _armedLate, null, late) == late)
        {
            // The call goes on without its caller, whose answer is lost now.
            _ = context.Invoke();
            throw new SiloUnavailableException("the answer was lost before the job was taken (test fault)");
        }

        await context.Invoke();
        var armed = Volatile.Read(ref _armed);
        if (armed is not null && method?.DeclaringType == armed && context.Result is Job
            && Interlocked.CompareExchange(ref _armed, null, armed) == armed)
        {
            throw _fault!;
        }
    }
}

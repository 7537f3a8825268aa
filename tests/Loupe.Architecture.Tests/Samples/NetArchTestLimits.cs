// Types NetArchTest 1.3.2 reads differently from what a rule of ours means (NetArchTestLimitTests):
// the evidence for the rules that stay ours, and for the guards around the ones that moved.
using Loupe.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Architecture.Tests.Samples.NetArchTestLimits;

/// <summary>Uses EF Core only in a catch clause: the type is in the method's exception table, in no instruction.</summary>
internal static class CatchesEfCoreOnly
{
    public static bool TrySave(Action save)
    {
        ArgumentNullException.ThrowIfNull(save);
        try
        {
            save();
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }
}

/// <summary>Immutable by our rule: a sealed positional record, whose properties are <c>init</c>.</summary>
public sealed record GadgetShipped(Guid GadgetId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ShipGadgetCommand : IRequest;

/// <summary>Implements the handler interface for the classes that derive from it.</summary>
public abstract class GadgetHandlerBase : IRequestHandler<ShipGadgetCommand>
{
    public abstract Task<Unit> Handle(ShipGadgetCommand request, CancellationToken cancellationToken);
}

/// <summary>A handler only through its base class; public and open, so it breaks the handler rule.</summary>
public class InheritedGadgetHandler : GadgetHandlerBase
{
    public override Task<Unit> Handle(ShipGadgetCommand request, CancellationToken cancellationToken) => Task.FromResult(Unit.Value);
}

/// <summary>Internal, sealed and named ...Handler; generic, so its metadata name is <c>GenericGadgetHandler`1</c>.</summary>
internal sealed class GenericGadgetHandler<TRequest> : IRequestHandler<TRequest>
    where TRequest : IRequest
{
    public Task<Unit> Handle(TRequest request, CancellationToken cancellationToken) => Task.FromResult(Unit.Value);
}

using FluentValidation;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Tests.Common.Behaviors;

[AllowAnonymous]
public sealed record RenameProbeCommand(string FirstName, int TileCount, string Secret) : IRequest<string>;

internal sealed class RenameProbeCommandHandler : IRequestHandler<RenameProbeCommand, string>
{
    public Task<string> Handle(RenameProbeCommand request, CancellationToken cancellationToken) => Task.FromResult("renamed " + request.FirstName);
}

internal sealed class RenameProbeNameValidator : AbstractValidator<RenameProbeCommand>
{
    public RenameProbeNameValidator()
    {
        RuleFor(c => c.FirstName).NotEmpty().WithMessage("Name is required.");
        RuleFor(c => c.FirstName).MaximumLength(5).WithMessage("Name is too long.");
    }
}

internal sealed class RenameProbeCountValidator : AbstractValidator<RenameProbeCommand>
{
    public RenameProbeCountValidator() => RuleFor(c => c.TileCount).GreaterThan(0).WithMessage("At least one tile.");
}

[Authorize(MinimumRole = Role.Editor)]
public sealed record EditorProbeCommand(string Name) : IRequest<string>;

internal sealed class EditorProbeCommandHandler : IRequestHandler<EditorProbeCommand, string>
{
    public Task<string> Handle(EditorProbeCommand request, CancellationToken cancellationToken) => Task.FromResult("edited");
}

internal sealed class EditorProbeCommandValidator : AbstractValidator<EditorProbeCommand>
{
    public EditorProbeCommandValidator() => RuleFor(c => c.Name).NotEmpty();
}

[Authorize(InstanceAdminOnly = true)]
public sealed record OperatorProbeQuery : IRequest<string>;

internal sealed class OperatorProbeQueryHandler : IRequestHandler<OperatorProbeQuery, string>
{
    public Task<string> Handle(OperatorProbeQuery request, CancellationToken cancellationToken) => Task.FromResult("jobs");
}

/// <summary>Declares no authorization at all: the pipeline must refuse it.</summary>
public sealed record UndeclaredProbeQuery : IRequest<string>;

internal sealed class UndeclaredProbeQueryHandler : IRequestHandler<UndeclaredProbeQuery, string>
{
    public Task<string> Handle(UndeclaredProbeQuery request, CancellationToken cancellationToken) => Task.FromResult("leaked");
}

[AllowAnonymous]
public sealed record SlowProbeQuery(TimeSpan Takes) : IRequest<string>;

internal sealed class SlowProbeQueryHandler(ManualClock clock) : IRequestHandler<SlowProbeQuery, string>
{
    public Task<string> Handle(SlowProbeQuery request, CancellationToken cancellationToken)
    {
        clock.Advance(request.Takes);
        return Task.FromResult("done");
    }
}

[Authorize(SignedInOnly = true)]
public sealed record AccountProbeCommand(string Name) : IRequest<string>;

internal sealed class AccountProbeCommandHandler : IRequestHandler<AccountProbeCommand, string>
{
    public Task<string> Handle(AccountProbeCommand request, CancellationToken cancellationToken) => Task.FromResult("managed");
}

internal sealed class AccountProbeCommandValidator : AbstractValidator<AccountProbeCommand>
{
    public AccountProbeCommandValidator() => RuleFor(c => c.Name).NotEmpty();
}

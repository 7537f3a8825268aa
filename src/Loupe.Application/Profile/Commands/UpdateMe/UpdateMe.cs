using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Profile.Commands.UpdateMe;

/// <summary>Changes the caller's own profile: their name.</summary>
[Authorize(SignedInOnly = true)]
public sealed record UpdateMeCommand(string? Name, IReadOnlyList<string>? RequiredResets = null) : IRequest<Unit>;

/// <summary>The body of PATCH /me, a JSON Merge Patch; <c>name</c> cannot be reset.</summary>
public sealed class UpdateMeRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public UpdateMeCommand ToCommand() => new(Name, RequiredReset(string.Empty, (nameof(Name), Name)));
}

internal sealed class UpdateMeCommandValidator : AbstractValidator<UpdateMeCommand>
{
    public UpdateMeCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).NotEmpty().WithMessage(UserErrors.NameRequired.Message)
            .MaximumLength(User.NameMaxLength).WithMessage(UserErrors.NameTooLong.Message)
            .When(c => c.RequiredResets is not { Count: > 0 });
    }
}

internal sealed class UpdateMeCommandHandler(ICurrentUser currentUser, IRepository<User> users, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UpdateMeCommand, Unit>
{
    public async Task<Unit> Handle(UpdateMeCommand request, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(currentUser.UserId ?? Guid.Empty, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("User", currentUser.UserId ?? Guid.Empty);
        user.Rename(request.Name!, clock.GetUtcNow());
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}

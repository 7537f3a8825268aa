using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Profile.Commands.UpdateMe;

[Authorize(SignedInOnly = true)]
public sealed record UpdateMeCommand(string? Name) : IRequest<Unit>;

internal sealed class UpdateMeCommandValidator : AbstractValidator<UpdateMeCommand>
{
    public UpdateMeCommandValidator() =>
        RuleFor(c => c.Name).NotEmpty().WithMessage(UserErrors.NameRequired.Message)
            .MaximumLength(User.NameMaxLength).WithMessage(UserErrors.NameTooLong.Message);
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

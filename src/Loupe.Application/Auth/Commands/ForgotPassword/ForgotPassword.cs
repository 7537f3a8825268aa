using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Auth.Commands.ForgotPassword;

/// <summary>
/// Mails a single-use reset link when the address has an account. The answer is the same either
/// way (202), and so is the work behind it: the request only queues a job, and the job looks the
/// address up, so neither the answer nor its timing tells who has an account.
/// </summary>
[AllowAnonymous]
public sealed record ForgotPasswordCommand(string? Email) : IRequest<Unit>;

internal sealed class ForgotPasswordCommandValidator : AbstractValidator<ForgotPasswordCommand>
{
    public ForgotPasswordCommandValidator() =>
        RuleFor(c => c.Email).Must(e => EmailAddress.TryParse(e, out _)).WithMessage(UserErrors.InvalidEmail.Message);
}

internal sealed class ForgotPasswordCommandHandler(IAttemptLimiter limiter, IJobScheduler jobs, IUnitOfWork unitOfWork)
    : IRequestHandler<ForgotPasswordCommand, Unit>
{
    public async Task<Unit> Handle(ForgotPasswordCommand request, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Parse(request.Email);

        // Over the limit the request is dropped silently, known address or not.
        if (!limiter.TryAcquire("auth.email", email.Value, out _))
        {
            return Unit.Value;
        }

        jobs.Enqueue(new JobRequest(
            PasswordResetMailJob.JobKind,
            JsonSerializer.Serialize(new PasswordResetMailJob.Payload(email.Value)),
            OrganizationId: null,
            MaxAttempts: PasswordResetMailJob.JobAttempts));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}

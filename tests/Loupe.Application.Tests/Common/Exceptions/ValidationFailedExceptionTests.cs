using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Exceptions;
using Loupe.Domain.Common;

namespace Loupe.Application.Tests.Common.Exceptions;

/// <summary>Several broken domain rules become one 400: every message under its field, the errors' code when they share one.</summary>
public sealed class ValidationFailedExceptionTests
{
    [Fact]
    public void ErrorsOfOneRule_KeepTheirCode_AtEveryField()
    {
        var invalid = ValidationFailedException.Of(
        [
            DomainError.Validation("visualization.option_unknown", "options.colour", "Not an option."),
            DomainError.Validation("visualization.option_unknown", "options.series[0].shade", "Not an option."),
        ]);

        invalid.Code.ShouldBe("visualization.option_unknown");
        invalid.Errors.Keys.ShouldBe(["options.colour", "options.series[0].shade"], ignoreOrder: true);
    }

    [Fact]
    public void ErrorsOfSeveralRules_AreAPlainValidationFailure_WithEachMessageOnceUnderItsField()
    {
        var invalid = ValidationFailedException.Of(
        [
            DomainError.Validation("visualization.option_required", "options.x_column", "This option is required."),
            DomainError.Validation("visualization.option_invalid", "options.stacking", "One of none, normal, percent."),
            DomainError.Validation("visualization.option_invalid", "options.stacking", "One of none, normal, percent."),
            new DomainError("visualization.archived", "Archived.", DomainErrorKind.Conflict),
        ]);

        invalid.Code.ShouldBe(ErrorCodes.ValidationFailed);
        invalid.Errors["options.stacking"].ShouldBe(["One of none, normal, percent."]);
        invalid.Errors["body"].ShouldBe(["Archived."]);
        invalid.Errors.Count.ShouldBe(3);
    }

    [Property(MaxTest = 200)]
    public Property EveryMessage_IsKept_UnderItsField()
    {
        var errors = Gen.Elements("a.one", "a.two", "b.three").SelectMany(code =>
                Gen.Elements("name", "options.x", "options.series[1].column").SelectMany(field =>
                    Gen.Elements("m1", "m2").Select(message => DomainError.Validation(code, field, message))))
            .NonEmptyListOf();

        return Prop.ForAll(errors.ToArbitrary(), list =>
        {
            var invalid = ValidationFailedException.Of([.. list]);
            var oneCode = list.Select(e => e.Code).Distinct().Count() == 1;
            return list.All(e => invalid.Errors[e.Field!].Contains(e.Message))
                && invalid.Errors.Values.Sum(m => m.Length) == list.Select(e => (e.Field, e.Message)).Distinct().Count()
                && invalid.Code == (oneCode ? list[0].Code : ErrorCodes.ValidationFailed);
        });
    }
}

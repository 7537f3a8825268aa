using System.Reflection;
using System.Reflection.Emit;

namespace Loupe.Architecture.Tests.Analysis;

/// <summary>
/// Walks the IL of one method body and reports the metadata it points at. The opcode table is
/// built from <see cref="OpCodes"/> at start-up, so it follows the runtime rather than a copy.
/// </summary>
internal static class IlScanner
{
    private const byte TwoByteOpCodePrefix = 0xFE;

    private static readonly OpCode?[] OneByteOpCodes = new OpCode?[256];
    private static readonly OpCode?[] TwoByteOpCodes = new OpCode?[256];

    static IlScanner()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode opCode)
            {
                continue;
            }

            var value = unchecked((ushort)opCode.Value);
            if (opCode.Size == 1)
            {
                OneByteOpCodes[value] = opCode;
            }
            else if (value >> 8 == TwoByteOpCodePrefix)
            {
                TwoByteOpCodes[value & 0xFF] = opCode;
            }
        }
    }

    /// <summary>
    /// Reports every resolvable token in <paramref name="method"/>'s body to <paramref name="visitor"/>.
    /// A token that cannot be resolved is reported as a failure and scanning goes on.
    /// </summary>
    public static void Scan(MethodBase method, IIlVisitor visitor)
    {
        MethodBody? body;
        try
        {
            body = method.GetMethodBody();
        }
        catch (Exception e) when (IsResolutionFailure(e))
        {
            visitor.OnUnresolved(method, 0, e.Message);
            return;
        }

        var il = body?.GetILAsByteArray();
        if (il is null)
        {
            return;
        }

        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is { IsGenericMethod: true } ? method.GetGenericArguments() : null;

        var position = 0;
        while (position < il.Length)
        {
            var opCode = ReadOpCode(il, ref position, method);
            var operandStart = position;
            position += OperandSize(opCode.OperandType, il, operandStart);

            if (!CarriesToken(opCode.OperandType))
            {
                continue;
            }

            var token = BitConverter.ToInt32(il, operandStart);
            try
            {
                Resolve(opCode.OperandType, token, module, typeArguments, methodArguments, visitor);
            }
            catch (Exception e) when (IsResolutionFailure(e))
            {
                visitor.OnUnresolved(method, token, e.Message);
            }
        }
    }

    private static OpCode ReadOpCode(byte[] il, ref int position, MethodBase method)
    {
        var first = il[position++];
        OpCode? opCode = first == TwoByteOpCodePrefix && position < il.Length
            ? TwoByteOpCodes[il[position++]]
            : OneByteOpCodes[first];
        return opCode ?? throw new InvalidOperationException(
            $"Unknown opcode 0x{first:X2} at IL offset {position - 1} in {method.DeclaringType}.{method.Name}.");
    }

    private static int OperandSize(OperandType operandType, byte[] il, int operandStart) => operandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, operandStart)),
        _ => 4,
    };

    private static bool CarriesToken(OperandType operandType) => operandType is
        OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType
        or OperandType.InlineTok or OperandType.InlineString;

    private static void Resolve(
        OperandType operandType,
        int token,
        Module module,
        Type[]? typeArguments,
        Type[]? methodArguments,
        IIlVisitor visitor)
    {
        switch (operandType)
        {
            case OperandType.InlineString:
                visitor.OnString(module.ResolveString(token));
                break;
            case OperandType.InlineType:
                visitor.OnType(module.ResolveType(token, typeArguments, methodArguments));
                break;
            case OperandType.InlineField:
                visitor.OnMember(module.ResolveField(token, typeArguments, methodArguments)!);
                break;
            case OperandType.InlineMethod:
                visitor.OnMember(module.ResolveMethod(token, typeArguments, methodArguments)!);
                break;
            case OperandType.InlineTok:
                var member = module.ResolveMember(token, typeArguments, methodArguments)!;
                if (member is Type type)
                {
                    visitor.OnType(type);
                }
                else
                {
                    visitor.OnMember(member);
                }

                break;
        }
    }

    private static bool IsResolutionFailure(Exception e) => e is
        ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException
        or FileLoadException or MemberAccessException or NotSupportedException or InvalidOperationException;
}

/// <summary>Receives what <see cref="IlScanner"/> finds in a method body.</summary>
internal interface IIlVisitor
{
    void OnType(Type type);

    void OnMember(MemberInfo member);

    void OnString(string literal);

    void OnUnresolved(MethodBase method, int token, string reason);
}

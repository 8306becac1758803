using DiffGen.Generator.Model;

namespace DiffGen.Generator.Ir
{
    /// <summary>One variable of the lowered program. Its id is its index in <see cref="IrProgram.Variables"/>.</summary>
    /// <param name="Name">A C# identifier, unique in the method (source locals keep their names).</param>
    /// <param name="ParameterIndex">Index in the method's parameter list, or -1.</param>
    /// <param name="Active">Set by activity analysis: the value depends on an active input and influences the result.</param>
    internal sealed record IrVariable(
        string Name,
        ScalarType Type,
        Shape Shape,
        Storage Storage,
        VarRole Role,
        int ParameterIndex,
        bool Active = false);

    /// <summary>
    /// One statement of the structured IR. Expressions are in three-address form: every operand is a variable id.
    /// Control flow is structured (if, counted for, general loop) so the reverse sweep can replay it backwards.
    /// </summary>
    /// <param name="Source">Index into <see cref="IrProgram.Sources"/>: the source statement this comes from.</param>
    /// <param name="Constant">The value of a Const; the dimension of a Length.</param>
    /// <param name="Aux">For Call, the index into <see cref="IrProgram.Calls"/>.</param>
    /// <param name="Text">For Const, how to print it when it came from a named constant (<c>Math.PI</c>); else null.</param>
    internal sealed record IrStatement(
        StmtKind Kind,
        int Target,
        Op Op,
        MathFunction Function,
        EquatableArray<int> Args,
        double Constant,
        int Aux,
        string? Text,
        EquatableArray<IrStatement> Body,
        EquatableArray<IrStatement> Else,
        int Source,
        LocationInfo? Location = null);

    /// <summary>A source statement, for the comments in the generated code.</summary>
    internal sealed record SourceLine(int Line, string Text);

    /// <summary>How a call to a user method is differentiated: its pullback and which arguments receive adjoints.</summary>
    /// <param name="Primal">The method to call in the forward sweep, fully qualified.</param>
    /// <param name="Backward">The pullback (Backward shape), fully qualified; null until resolved.</param>
    /// <param name="ActiveParameters">Per argument: whether the pullback takes an adjoint for it.</param>
    /// <param name="Key">The callee's identity (type, name, parameter types), used to find [DerivativeOf] registrations.</param>
    /// <param name="HessianVector">The callee's Hessian-vector product (generated, or hand-written next to a [DerivativeOf] pullback), else null.</param>
    /// <param name="Tangent">The callee's generated FTangent (a [Differentiable] callee with DiffModes.Forward), else null.</param>
    internal sealed record IrCall(
        string Primal,
        string? Backward,
        EquatableArray<bool> ActiveParameters,
        string Key,
        LocationInfo? Location,
        EquatableArray<string> ParameterNames = default,
        string? HessianVector = null,
        string? Tangent = null)
    {
        /// <summary>The callee's name for argument i (for naming partial derivatives), or Argument{i+1} when unknown.</summary>
        public string ParameterName(int i) => i < ParameterNames.Count && ParameterNames[i].Length > 0
            ? ParameterNames[i]
            : "Argument" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A lowered method body.</summary>
    internal sealed record IrProgram(
        EquatableArray<IrVariable> Variables,
        EquatableArray<IrStatement> Body,
        EquatableArray<SourceLine> Sources,
        EquatableArray<IrCall> Calls,
        int Result,
        ScalarType ResultType);
}

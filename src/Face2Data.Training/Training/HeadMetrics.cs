namespace Face2Data.Training.Training;

/// <summary>
/// One head's metrics over an epoch: its mean loss, and accuracy (categorical) or MAE, RMSE and R² (regression,
/// in the head's units). Values that do not apply are <see cref="double.NaN"/>.
/// </summary>
public sealed record HeadMetrics(string Head, double Loss, double Accuracy, double Mae, double Rmse, double R2);

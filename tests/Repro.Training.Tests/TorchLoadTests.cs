namespace Repro.Training.Tests;
public class TorchLoadTests { [Fact] public void Loads() { Assert.True(TorchSharp.torch.ones(2).sum().item<float>() == 2f); } }

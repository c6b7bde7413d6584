/** The live tester itself: a case that answers a probe the plan did not ask for, or cannot have been answered, fails. */
import { describe, expect, it } from 'vitest';
import healthEndpoints from '../src/rules/health-endpoints.js';
import vmReadiness from '../src/rules/vm-readiness.js';
import { exited, http, runLiveCase } from './support/liveTester.js';

const HEALTH = { 'services.health': 'endpoints:\n  - id: grafana\n    host: h\n    url: "http://10.0.0.5:3000/api/health"\n' };
const VM = {
  'ssh.targets': 'ssh:\n  targets:\n    - id: pve\n      host: "10.0.0.1"\n',
  'infra.vm.profiles': 'profiles:\n  spine-ready-v1:\n    readiness:\n      require_ssh_reachability: false\n      require_tailscale_connected: false\n      require_cron_running: false\n',
  'infra.relocation.plan': 'vm_targets:\n  - vm_id: "20 5"\n    hostname: vm\n    proxmox_host: pve\n    status: ready\n',
};

describe('liveTester', () => {
  it('an observation under an id the plan does not have (a typo) fails, naming the planned ids', async () => {
    await expect(runLiveCase(healthEndpoints, { name: 'typo', files: HEALTH, observations: { 'endpoint:grafanna': http(200) } })).rejects.toThrow(
      /observations for probes the plan did not ask for \(planned: endpoint:grafana\)/,
    );
  });

  it('the planned ids are checked when the case lists them', async () => {
    await expect(runLiveCase(healthEndpoints, { name: 'plan', files: HEALTH, plan: ['endpoint:other'] })).rejects.toThrow(/planned probe ids/);
  });

  it("a probe nobody answers gets the engine's missing observation; an answered one its answer", async () => {
    expect((await runLiveCase(healthEndpoints, { name: 'missing', files: HEALTH })).findings.map((d) => d.data.got)).toEqual(['no observation']);
    expect((await runLiveCase(healthEndpoints, { name: 'answered', files: HEALTH, observations: { 'endpoint:grafana': http(200) } })).findings).toEqual([]);
  });

  it('fields of the other probe kind fail', async () => {
    await expect(runLiveCase(healthEndpoints, { name: 'kind', files: HEALTH, observations: { 'endpoint:grafana': exited(0, 'ok') } })).rejects.toThrow(
      /exitCode, stdout, stderr do not belong to an http probe/,
    );
  });

  it('a probe the command table refuses is answered as the executor answers it; the case cannot say it ran', async () => {
    const refused = await runLiveCase(vmReadiness, { name: 'refused', files: VM });
    expect(refused.planned).toEqual(['vm:vm_running', 'vm:qemu_agent_running']);
    expect(refused.findings.map((d) => d.data.detail)).toEqual([
      'not probed: refused before connecting: command \'qm-agent-ping\': vmid must be digits only (got "20 5")',
      'not probed: refused before connecting: command \'qm-status\': vmid must be digits only (got "20 5")',
    ]);
    await expect(runLiveCase(vmReadiness, { name: 'ran', files: VM, observations: { 'vm:vm_running': exited(0, 'status: running') } })).rejects.toThrow(/the command table refuses this probe/);
  });
});

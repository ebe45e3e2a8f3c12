'use strict';

// Assets with an owner, colour, size and appraised value: the classic Fabric sample, trimmed.
const { Contract } = require('fabric-contract-api');

class AssetTransfer extends Contract {
  constructor() {
    super('AssetTransfer');
  }

  async InitLedger(ctx) {
    const assets = [
      { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 },
      { ID: 'asset2', Color: 'red', Size: 5, Owner: 'Brad', AppraisedValue: 400 },
      { ID: 'asset3', Color: 'green', Size: 10, Owner: 'Jin Soo', AppraisedValue: 500 },
    ];
    for (const asset of assets) {
      await ctx.stub.putState(asset.ID, Buffer.from(JSON.stringify(asset)));
    }
    return JSON.stringify(assets.map((a) => a.ID));
  }

  async CreateAsset(ctx, id, color, size, owner, appraisedValue) {
    if (await this.AssetExists(ctx, id)) {
      throw new Error(`The asset ${id} already exists`);
    }
    const asset = { ID: id, Color: color, Size: Number(size), Owner: owner, AppraisedValue: Number(appraisedValue) };
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(asset)));
    ctx.stub.setEvent('AssetCreated', Buffer.from(JSON.stringify(asset)));
    return JSON.stringify(asset);
  }

  async ReadAsset(ctx, id) {
    const bytes = await ctx.stub.getState(id);
    if (!bytes || bytes.length === 0) {
      throw new Error(`The asset ${id} does not exist`);
    }
    return bytes.toString();
  }

  async UpdateAsset(ctx, id, color, size, owner, appraisedValue) {
    if (!(await this.AssetExists(ctx, id))) {
      throw new Error(`The asset ${id} does not exist`);
    }
    const asset = { ID: id, Color: color, Size: Number(size), Owner: owner, AppraisedValue: Number(appraisedValue) };
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(asset)));
    return JSON.stringify(asset);
  }

  async DeleteAsset(ctx, id) {
    if (!(await this.AssetExists(ctx, id))) {
      throw new Error(`The asset ${id} does not exist`);
    }
    await ctx.stub.deleteState(id);
  }

  async AssetExists(ctx, id) {
    const bytes = await ctx.stub.getState(id);
    return !!bytes && bytes.length > 0;
  }

  async TransferAsset(ctx, id, newOwner) {
    const asset = JSON.parse(await this.ReadAsset(ctx, id));
    const oldOwner = asset.Owner;
    asset.Owner = newOwner;
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(asset)));
    ctx.stub.setEvent('AssetTransferred', Buffer.from(JSON.stringify({ id, from: oldOwner, to: newOwner })));
    return oldOwner;
  }

  async GetAllAssets(ctx) {
    const all = [];
    const iterator = await ctx.stub.getStateByRange('', '');
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      all.push(JSON.parse(r.value.value.toString('utf8')));
    }
    await iterator.close();
    return JSON.stringify(all);
  }

  async QueryAssets(ctx, queryString) {
    const all = [];
    const iterator = await ctx.stub.getQueryResult(queryString);
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      all.push(JSON.parse(r.value.value.toString('utf8')));
    }
    await iterator.close();
    return JSON.stringify(all);
  }

  async GetAssetHistory(ctx, id) {
    const history = [];
    const iterator = await ctx.stub.getHistoryForKey(id);
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      history.push({ txId: r.value.txId, isDelete: r.value.isDelete, value: r.value.value.toString('utf8') });
    }
    await iterator.close();
    return JSON.stringify(history);
  }
}

module.exports = { AssetTransfer };

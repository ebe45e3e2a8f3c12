const t0=performance.now();
require('reflect-metadata'); const x509=require('@peculiar/x509');
const t1=performance.now();
const {webcrypto, generateKeyPairSync, sign, verify, createPrivateKey}=require('crypto');
(async()=>{
  const A={name:'ECDSA',namedCurve:'P-256'};
  let s=performance.now();
  const ks=await Promise.all(Array.from({length:16},()=>webcrypto.subtle.generateKey(A,true,['sign','verify'])));
  let e=performance.now(); console.log('import', (t1-t0).toFixed(1),'16 webcrypto keys parallel', (e-s).toFixed(1));
  s=performance.now(); for(let i=0;i<16;i++) await webcrypto.subtle.generateKey(A,true,['sign','verify']); e=performance.now(); console.log('16 seq', (e-s).toFixed(1));
  s=performance.now(); for(let i=0;i<16;i++) generateKeyPairSync('ec',{namedCurve:'P-256'}); e=performance.now(); console.log('16 sync node', (e-s).toFixed(1));
  const {privateKey, publicKey}=generateKeyPairSync('ec',{namedCurve:'P-256'});
  const msg=Buffer.alloc(1000,7);
  s=performance.now(); let sig; for(let i=0;i<2000;i++) sig=sign('sha256',msg,{key:privateKey,dsaEncoding:'der'}); e=performance.now(); console.log('sign us', ((e-s)/2000*1000).toFixed(1));
  s=performance.now(); for(let i=0;i<2000;i++) verify('sha256',msg,{key:publicKey,dsaEncoding:'der'},sig); e=performance.now(); console.log('verify us', ((e-s)/2000*1000).toFixed(1));
  const k=ks[0];
  s=performance.now(); for(let i=0;i<500;i++) sig=await webcrypto.subtle.sign({name:'ECDSA',hash:'SHA-256'},k.privateKey,msg); e=performance.now(); console.log('webcrypto sign us', ((e-s)/500*1000).toFixed(1));
  s=performance.now(); for(let i=0;i<500;i++) await webcrypto.subtle.verify({name:'ECDSA',hash:'SHA-256'},k.publicKey,sig,msg); e=performance.now(); console.log('webcrypto verify us', ((e-s)/500*1000).toFixed(1));
})();
